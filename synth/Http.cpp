// The HTTP client over libcurl (Http.h): one easy handle per attempt, no
// signals (threads), no redirects, peer and host verification always on.
#include "synth/Http.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

namespace ksynth::synth::http {

namespace {

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  std::string body;
  size_t cap = 0;
  bool overflow = false;
  std::map<std::string, std::string> headers;
};

size_t onBody(char *data, size_t size, size_t n, void *user) {
  Sink *s = static_cast<Sink *>(user);
  size_t len = size * n;
  if (s->body.size() + len > s->cap) {
    s->overflow = true;
    return 0; // aborts the transfer (CURLE_WRITE_ERROR)
  }
  s->body.append(data, len);
  return len;
}

size_t onHeader(char *data, size_t size, size_t n, void *user) {
  Sink *s = static_cast<Sink *>(user);
  size_t len = size * n;
  std::string line(data, len);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char &c : name)
      c = char(std::tolower(static_cast<unsigned char>(c)));
    std::string v = line.substr(colon + 1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' ||
                          v.back() == ' ' || v.back() == '\t'))
      v.pop_back();
    size_t b = v.find_first_not_of(" \t");
    s->headers[name] = b == std::string::npos ? "" : v.substr(b);
  } else if (line.rfind("HTTP/", 0) == 0) {
    s->headers.clear(); // a new response (e.g. after 100 Continue)
  }
  return len;
}

int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const std::atomic<bool> *cancel =
      static_cast<const std::atomic<bool> *>(user);
  return cancel && cancel->load() ? 1 : 0; // non-zero aborts the transfer
}

std::string fmtSeconds(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", s);
  return b;
}

} // namespace

bool secretHeader(const std::string &name) {
  std::string n = name;
  for (char &c : n)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return n == "authorization" || n == "x-api-key" || n == "api-key";
}

std::string redact(std::string text, const std::vector<std::string> &secrets) {
  for (const std::string &s : secrets) {
    if (s.empty())
      continue;
    for (size_t at; (at = text.find(s)) != std::string::npos;)
      text.replace(at, s.size(), "[REDACTED]");
  }
  return text;
}

Response postOnce(const Request &req, const Options &opt) {
  globalInit();
  if (req.url.rfind("http://", 0) != 0 && req.url.rfind("https://", 0) != 0)
    throw Error("POST " + redact(req.url, opt.secrets) +
                    ": only http:// and https:// URLs are supported",
                false, false);
  CURL *h = curl_easy_init();
  if (!h)
    throw Error("curl_easy_init failed", false, false);
  Sink sink;
  sink.cap = opt.maxResponseBytes;
  curl_slist *hs = nullptr;
  for (const auto &[k, v] : req.headers)
    hs = curl_slist_append(hs, (k + ": " + v).c_str());
  hs = curl_slist_append(hs, "Expect:"); // no 100-continue round trip
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(req.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
  if (opt.cancel) {
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, opt.cancel);
  }
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   long(opt.connectTimeoutSeconds * 1000));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(opt.totalTimeoutSeconds * 1000));
  // TLS: always verified (peer and host name); a CA file adds trust.
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!opt.caFile.empty())
    curl_easy_setopt(h, CURLOPT_CAINFO, opt.caFile.c_str());
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(h);
  std::string where = "POST " + redact(req.url, opt.secrets) + ": ";
  if (sink.overflow)
    throw Error(where + "response larger than " +
                    std::to_string(opt.maxResponseBytes) + " bytes",
                false, true);
  if (rc == CURLE_ABORTED_BY_CALLBACK)
    throw Error(where + "cancelled", false, false);
  if (rc == CURLE_OPERATION_TIMEDOUT)
    throw Error(where + "timed out (connect " +
                    fmtSeconds(opt.connectTimeoutSeconds) + " s, total " +
                    fmtSeconds(opt.totalTimeoutSeconds) + " s)",
                true, false);
  if (rc != CURLE_OK) {
    std::string detail = err[0] ? err : curl_easy_strerror(rc);
    std::replace(detail.begin(), detail.end(), '\n', ' ');
    throw Error(where + redact(detail, opt.secrets), false, false);
  }
  Response r;
  r.status = status;
  r.body = std::move(sink.body);
  r.headers = std::move(sink.headers);
  return r;
}

bool retryableStatus(long status) { return status == 429 || status >= 500; }

double retryAfterSeconds(const Response &r) {
  auto it = r.headers.find("retry-after");
  if (it == r.headers.end())
    return -1;
  try {
    size_t pos = 0;
    double s = std::stod(it->second, &pos);
    if (pos == it->second.size() && s >= 0 && std::isfinite(s))
      return s;
  } catch (const std::exception &) {
  }
  return -1; // an HTTP date: not honoured, the backoff applies
}

double backoffSeconds(int retry, double retryAfter, const Options &opt,
                      double jitter01) {
  if (retryAfter >= 0)
    return std::min(retryAfter, opt.retryAfterMaxSeconds);
  double d = std::min(opt.backoffMaxSeconds,
                      opt.backoffBaseSeconds * std::ldexp(1.0, retry));
  return d * (0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0));
}

Response post(const Request &req, const Options &opt, const Attempt &attempt) {
  auto cancelled = [&] { return opt.cancel && opt.cancel->load(); };
  std::function<void(double)> sleep = opt.sleep;
  if (!sleep) {
    sleep = [&](double s) { // in slices, so that SIGINT ends it
      auto end =
          std::chrono::steady_clock::now() + std::chrono::duration<double>(s);
      while (!cancelled() && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    };
  }
  std::function<double()> jitter = opt.jitter;
  if (!jitter) {
    jitter = [] {
      thread_local std::mt19937_64 rng(std::random_device{}());
      return std::uniform_real_distribution<double>(0, 1)(rng);
    };
  }
  for (int retry = 0;; ++retry) {
    bool last = retry >= opt.maxRetries || cancelled();
    std::string why;
    double after = -1;
    try {
      Response r = attempt ? attempt(req, opt) : postOnce(req, opt);
      r.attempts = retry + 1;
      if (!retryableStatus(r.status) || last || cancelled())
        return r;
      why = "HTTP " + std::to_string(r.status);
      after = retryAfterSeconds(r);
    } catch (const Error &e) {
      if (e.tooLarge || last || cancelled()) {
        if (retry == 0)
          throw;
        throw Error(std::string(e.what()) + " (after " + std::to_string(retry) +
                        " retries)",
                    e.timeout, e.tooLarge);
      }
      why = e.what();
    }
    double wait = backoffSeconds(retry, after, opt, jitter());
    if (opt.log) {
      char b[64];
      std::snprintf(b, sizeof b, "retrying in %.1f s (%d/%d): ", wait,
                    retry + 1, opt.maxRetries);
      opt.log(redact(b + why, opt.secrets));
    }
    sleep(wait);
    if (cancelled())
      throw Error("POST " + redact(req.url, opt.secrets) + ": cancelled", false,
                  false);
  }
}

} // namespace ksynth::synth::http
