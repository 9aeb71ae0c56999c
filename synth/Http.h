// The synthesizer's HTTP client (issue 16), the only user of libcurl in
// ksynth: POST a JSON body with headers, connect and total timeouts, a cap
// on the response size, TLS verification always on for https (a CA file for
// private servers; there is no way to turn verification off), no redirects,
// and retries with exponential backoff and jitter on 429, 5xx, connection
// errors and timeouts that honour Retry-After. The clock (sleep) and the
// jitter are injectable so that unit tests do not wait. Every error is one
// line with the secrets (API keys) redacted.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ksynth::synth::http {

struct Request {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers; // name, value
  std::string body;                                         // JSON
};

struct Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers; // names in lower case
  int attempts = 1;                           // 1 + retries made
};

struct Options {
  double connectTimeoutSeconds = 10;
  double totalTimeoutSeconds = 300; // per attempt
  size_t maxResponseBytes = 4u << 20;
  std::string caFile; // extra CA bundle for https (--ca-file)
  int maxRetries = 4; // after the first attempt
  double backoffBaseSeconds = 1;
  double backoffMaxSeconds = 30;
  double retryAfterMaxSeconds = 120; // a longer Retry-After is capped
  // Injectable for tests: sleep(seconds) and a jitter source in [0, 1).
  std::function<void(double)> sleep;
  std::function<double()> jitter;
  // Redacted from every error message (API keys).
  std::vector<std::string> secrets;
  // One line per retry ("retrying in 2.0 s: HTTP 429"), redacted.
  std::function<void(const std::string &)> log;
  // When set (SIGINT), a transfer in progress and the waits between
  // retries end at once with Error "cancelled".
  const std::atomic<bool> *cancel = nullptr;
};

// A transport failure after the retries (or one not worth retrying): the
// message is one line, redacted. `timeout` and `tooLarge` say which.
class Error : public std::runtime_error {
public:
  Error(const std::string &msg, bool timeout, bool tooLarge)
      : std::runtime_error(msg), timeout(timeout), tooLarge(tooLarge) {}
  bool timeout, tooLarge;
};

// One attempt, no retries. Any HTTP status is a Response; a connection
// failure, timeout or oversized body throws Error.
Response postOnce(const Request &req, const Options &opt);

// With retries on 429, 5xx, connection errors and timeouts (not on an
// oversized body): the last Response (any status once the retries are
// spent), or Error when the last attempt failed in transport.
// `attempt` is injectable for tests (default: postOnce).
using Attempt = std::function<Response(const Request &, const Options &)>;
Response post(const Request &req, const Options &opt,
              const Attempt &attempt = nullptr);

// Whether a status is retried (429 and 5xx).
bool retryableStatus(long status);
// Retry-After in seconds from a response's headers (delta-seconds only),
// or -1 when absent or not a number.
double retryAfterSeconds(const Response &r);
// The wait before retry number `retry` (0 for the first retry): the
// server's Retry-After when given (capped), else min(max, base * 2^retry)
// scaled by a jitter factor in [0.5, 1).
double backoffSeconds(int retry, double retryAfter, const Options &opt,
                      double jitter01);

// `text` with every occurrence of each non-empty secret replaced by
// "[REDACTED]".
std::string redact(std::string text, const std::vector<std::string> &secrets);
// Whether a header's value must never be stored or shown (Authorization,
// x-api-key, api-key; case-insensitive).
bool secretHeader(const std::string &name);

} // namespace ksynth::synth::http
