// synth/Http.h without a network: backoff and Retry-After, the retry loop
// through an injected attempt and clock, redaction.
#include "synth/Http.h"

#include <gtest/gtest.h>

using namespace ksynth::synth::http;

namespace {

Response status(long s, const std::string &retryAfter = "") {
  Response r;
  r.status = s;
  r.body = "{}";
  if (!retryAfter.empty())
    r.headers["retry-after"] = retryAfter;
  return r;
}

Options quiet(std::vector<double> &slept) {
  Options o;
  o.sleep = [&slept](double s) { slept.push_back(s); };
  o.jitter = [] { return 0.0; };
  return o;
}

} // namespace

TEST(HttpBackoff, ExponentialWithJitterAndCap) {
  Options o;
  o.backoffBaseSeconds = 1;
  o.backoffMaxSeconds = 5;
  EXPECT_DOUBLE_EQ(backoffSeconds(0, -1, o, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(backoffSeconds(0, -1, o, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(backoffSeconds(2, -1, o, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(backoffSeconds(5, -1, o, 1.0), 5.0); // capped
}

TEST(HttpBackoff, RetryAfterIsHonouredAndCapped) {
  Options o;
  o.retryAfterMaxSeconds = 60;
  EXPECT_DOUBLE_EQ(backoffSeconds(0, 7, o, 0.3), 7);
  EXPECT_DOUBLE_EQ(backoffSeconds(3, 3600, o, 0.3), 60);
  EXPECT_DOUBLE_EQ(retryAfterSeconds(status(429, "3")), 3);
  EXPECT_DOUBLE_EQ(retryAfterSeconds(status(429, "1.5")), 1.5);
  EXPECT_EQ(retryAfterSeconds(status(429, "Wed, 21 Oct 2015 07:28:00 GMT")),
            -1);
  EXPECT_EQ(retryAfterSeconds(status(429)), -1);
}

TEST(HttpRetry, RetriesOn429And5xxThenSucceeds) {
  std::vector<double> slept;
  Options o = quiet(slept);
  std::vector<Response> script = {status(429, "2"), status(503), status(200)};
  size_t i = 0;
  Response r = post(
      {}, o, [&](const Request &, const Options &) { return script.at(i++); });
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.attempts, 3);
  ASSERT_EQ(slept.size(), 2u);
  EXPECT_DOUBLE_EQ(slept[0], 2);   // Retry-After
  EXPECT_DOUBLE_EQ(slept[1], 1.0); // 2^1 * base 1 * jitter factor 0.5
}

TEST(HttpRetry, NoRetryOn4xxOtherThan429) {
  std::vector<double> slept;
  Options o = quiet(slept);
  int calls = 0;
  Response r = post({}, o, [&](const Request &, const Options &) {
    ++calls;
    return status(401);
  });
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(slept.empty());
}

TEST(HttpRetry, BoundedRetriesReturnTheLastStatus) {
  std::vector<double> slept;
  Options o = quiet(slept);
  o.maxRetries = 2;
  int calls = 0;
  Response r = post({}, o, [&](const Request &, const Options &) {
    ++calls;
    return status(500);
  });
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(slept.size(), 2u);
}

TEST(HttpRetry, TransportErrorsAreRetriedButNotOversizedBodies) {
  std::vector<double> slept;
  Options o = quiet(slept);
  o.maxRetries = 1;
  int calls = 0;
  EXPECT_THROW(post({}, o,
                    [&](const Request &, const Options &) -> Response {
                      ++calls;
                      throw Error("POST u: timed out", true, false);
                    }),
               Error);
  EXPECT_EQ(calls, 2);
  calls = 0;
  try {
    post({}, o, [&](const Request &, const Options &) -> Response {
      ++calls;
      throw Error("POST u: response larger than 10 bytes", false, true);
    });
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_TRUE(e.tooLarge);
    EXPECT_EQ(calls, 1);
  }
}

TEST(HttpRedact, SecretsAndSecretHeaders) {
  EXPECT_EQ(redact("key sk-123 and sk-123!", {"sk-123", ""}),
            "key [REDACTED] and [REDACTED]!");
  EXPECT_TRUE(secretHeader("Authorization"));
  EXPECT_TRUE(secretHeader("X-API-Key"));
  EXPECT_TRUE(secretHeader("api-key"));
  EXPECT_FALSE(secretHeader("anthropic-version"));
}

TEST(HttpClient, UnsupportedSchemeIsAOneLineError) {
  Options o;
  try {
    postOnce({"ftp://example/x?k=sk-9", {}, "{}"}, [&] {
      Options p = o;
      p.secrets = {"sk-9"};
      return p;
    }());
    FAIL() << "no error";
  } catch (const Error &e) {
    std::string m = e.what();
    EXPECT_NE(m.find("only http:// and https://"), std::string::npos) << m;
    EXPECT_EQ(m.find("sk-9"), std::string::npos) << m;
  }
}

TEST(HttpClient, ConnectionRefusedIsAnError) {
  std::vector<double> slept;
  Options o = quiet(slept);
  o.maxRetries = 1;
  o.connectTimeoutSeconds = 2;
  o.totalTimeoutSeconds = 2; // should something answer there after all
  // Port 9 on the loopback (discard): nothing listens there in tests.
  EXPECT_THROW(post({"http://127.0.0.1:9/v1/chat/completions", {}, "{}"}, o),
               Error);
  EXPECT_EQ(slept.size(), 1u); // retried once
}
