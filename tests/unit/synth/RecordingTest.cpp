// synth/Recording.h: an exchange written with its secrets redacted and read
// back in turn order per agent; a cancelled retry loop ends at once.
#include "synth/Recording.h"
#include "synth/Http.h"

#include "support/Error.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace ksynth;
using namespace ksynth::synth;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string &name) {
  fs::path d = fs::path(KSYNTH_BINARY_DIR) / "test-tmp" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path &p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Exchange exchange(const std::string &agent, int turn, long status) {
  Exchange e;
  e.agent = agent;
  e.turn = turn;
  e.provider = "openai";
  e.model = "m";
  e.url = "http://127.0.0.1:1/v1/chat/completions";
  e.headers = {{"Authorization", "Bearer sk-SECRET-1"},
               {"x-api-key", "other"},
               {"Content-Type", "application/json"}};
  e.requestBody = "{\"echo\": \"sk-SECRET-1\"}";
  e.prompt = "prompt " + std::to_string(turn);
  e.status = status;
  e.responseBody = status ? "{\"turn\": " + std::to_string(turn) + "}" : "";
  e.transportError = status ? "" : "POST x: timed out";
  return e;
}

} // namespace

TEST(Recording, RedactsAndReplaysPerAgentInOrder) {
  fs::path d = freshDir("recording");
  std::vector<std::string> secrets = {"sk-SECRET-1"};
  recordExchange(d.string(), exchange("a1", 2, 0), secrets);
  recordExchange(d.string(), exchange("a1", 1, 200), secrets);
  recordExchange(d.string(), exchange("a2", 1, 429), secrets);
  std::string text = slurp(d / "a1" / "0001.json");
  EXPECT_EQ(text.find("sk-SECRET-1"), std::string::npos) << text;
  EXPECT_EQ(text.find("other"), std::string::npos) << text; // x-api-key
  EXPECT_NE(text.find("[REDACTED]"), std::string::npos);
  EXPECT_NE(text.find("application/json"), std::string::npos);
  Replay r(d.string());
  EXPECT_EQ(r.agents(), 2u);
  auto x = r.next("a1");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->turn, 1);
  EXPECT_EQ(x->status, 200);
  EXPECT_EQ(x->prompt, "prompt 1");
  x = r.next("a1");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->status, 0);
  EXPECT_EQ(x->transportError, "POST x: timed out");
  EXPECT_FALSE(r.next("a1"));
  EXPECT_EQ(r.next("a2")->status, 429);
  EXPECT_FALSE(r.next("a3"));
}

TEST(Recording, AnEmptyDirectoryIsAnError) {
  fs::path d = freshDir("recording-empty");
  EXPECT_THROW(Replay r(d.string()), UserError);
  EXPECT_THROW(Replay r((d / "missing").string()), UserError);
}

TEST(HttpRetry, CancelEndsTheWaitAtOnce) {
  std::atomic<bool> cancel{false};
  http::Options o;
  o.cancel = &cancel;
  o.backoffBaseSeconds = 30;
  int calls = 0;
  auto t0 = std::chrono::steady_clock::now();
  try {
    http::post({"http://127.0.0.1:1/x", {}, "{}"}, o,
               [&](const http::Request &, const http::Options &) {
                 ++calls;
                 cancel = true; // SIGINT during the first attempt
                 http::Response r;
                 r.status = 503;
                 return r;
               });
  } catch (const http::Error &e) {
    EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos);
  }
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(calls, 1);
  EXPECT_LT(s, 5);
}
