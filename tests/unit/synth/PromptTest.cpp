// synth/Prompt.h and synth/Providers.h: reading replies (fenced blocks,
// malformed replies), the spec as PyTorch-like code, the feedback in the
// prompt, the providers' requests and the classification of responses.
#include "synth/Prompt.h"
#include "synth/Providers.h"

#include "spec/Spec.h"
#include "support/Error.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace ksynth;
using namespace ksynth::synth;

namespace {

const char *kKernel = "__kernel void relu(__global const float *x, __global "
                      "float *y, const int n) { int i = get_global_id(0); "
                      "if (i < n) y[i] = x[i]; }";

spec::Spec reluSpec() {
  return spec::parseSpecFile(std::string(KSYNTH_SOURCE_DIR) +
                             "/examples/relu/spec.json");
}

ProviderConfig prov(const std::string &kind) {
  ProviderConfig p;
  p.kind = kind;
  p.baseUrl = "http://127.0.0.1:1";
  p.model = "m1";
  p.apiKey = "sk-test-SECRET";
  p.keyEnv = kind == "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
  return p;
}

} // namespace

TEST(ParseReply, TakesTheCodeAndManifestBlocks) {
  std::string text = std::string("Here:\n```c\n") + kKernel +
                     "\n```\nand\n```json\n{\"source\": \"x.cl\", "
                     "\"launches\": [{\"kernel\": \"relu\", \"args\": "
                     "[\"x\", \"y\", \"N\"], \"global\": [\"N\"]}]}\n```\n";
  ParsedReply r = parseReply(text);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_NE(r.source.find("__kernel void relu"), std::string::npos);
  EXPECT_FALSE(r.manifest.contains("source"));
  EXPECT_EQ(r.manifest["launches"][0]["kernel"], "relu");
}

TEST(ParseReply, OpenclTagAndTheLastBlockWins) {
  std::string text = std::string("```opencl\n__kernel void a() {}\n```\n") +
                     "```opencl\n" + kKernel +
                     "\n```\n```json\n{\"launches\":"
                     " [1]}\n```";
  ParsedReply r = parseReply(text);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_NE(r.source.find("relu"), std::string::npos);
}

TEST(ParseReply, MalformedRepliesSayWhy) {
  EXPECT_NE(parseReply("no code at all").error.find("no ```c block"),
            std::string::npos);
  EXPECT_NE(parseReply(std::string("```c\n") + kKernel + "\n```")
                .error.find("no ```json block"),
            std::string::npos);
  EXPECT_NE(parseReply(std::string("```c\n") + kKernel +
                       "\n```\n```json\n{\"launches\": [\n```")
                .error.find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(parseReply(std::string("```c\n") + kKernel +
                       "\n```\n```json\n{\"kernel\": 1}\n```")
                .error.find("\"launches\""),
            std::string::npos);
  // An unterminated block is no block.
  EXPECT_FALSE(parseReply(std::string("```c\n") + kKernel).ok());
}

TEST(RenderSpec, PytorchLikeWithShapesAndDomain) {
  spec::Spec s = reluSpec();
  std::string py = renderSpecPytorch(s);
  EXPECT_NE(py.find("def reference(x):"), std::string::npos) << py;
  EXPECT_NE(py.find("y = torch.relu(x)"), std::string::npos) << py;
  EXPECT_NE(py.find("float32[N]"), std::string::npos) << py;
  EXPECT_NE(py.find("return y"), std::string::npos) << py;
}

TEST(UserPrompt, CarriesTheCounterexampleOfThePreviousCandidate) {
  spec::Spec s = reluSpec();
  Problem p;
  p.spec = &s;
  p.hint = "USER-HINT";
  Outcome prev;
  prev.cand.id = "c001";
  prev.verdict = "refuted";
  prev.counterexample = {
      {"obligation", "equivalence"},
      {"shape", {{"N", 67}}},
      {"inputs",
       {{"x",
         {{"dtype", "float32"},
          {"shape", {67}},
          {"bits", {"0x7fc00000", "0x40000000"}}}}}},
      {"output", "y"},
      {"index", {0}},
      {"flat_index", 0},
      {"reference", {{"value", "nan"}, {"bits", "0x7fc00000"}}},
      {"candidate", {{"value", "0"}, {"bits", "0x00000000"}}},
      {"detail", "y[0] differs"},
      {"location",
       {{"file", "kernel.cl"},
        {"line", 7},
        {"column", 10},
        {"what", "store"}}}};
  PromptContext c;
  c.problem = &p;
  c.strategy = "fusion";
  c.previous = &prev;
  c.previousError = "";
  std::string u = userPrompt(c);
  for (const char *want :
       {"c001", "refuted", "failed obligation: equivalence", "y[0] differs",
        "expected (reference): nan (0x7fc00000)", "got (your kernel): 0",
        "[1] 2 (0x40000000)", "USER-HINT", "fusion", "torch.relu",
        "compute units: unknown", "copy bandwidth: unknown",
        "float32 peak: unknown", "```json",
        "source line: kernel.cl:7:10 (store)"})
    EXPECT_NE(u.find(want), std::string::npos) << want << "\n" << u;
}

TEST(UserPrompt, CarriesTheCompileErrorAndAnUnusableReply) {
  spec::Spec s = reluSpec();
  Problem p;
  p.spec = &s;
  Outcome prev;
  prev.cand.id = "c002";
  prev.verdict = "error";
  prev.compileError = "kernel.cl:3:5: error: use of undeclared identifier 'q'";
  PromptContext c;
  c.problem = &p;
  c.previous = &prev;
  c.previousError = "the reply has no ```json block with the launch manifest";
  std::string u = userPrompt(c);
  EXPECT_NE(u.find("kernel.cl:3:5: error"), std::string::npos);
  EXPECT_NE(u.find("could not be used"), std::string::npos);
  EXPECT_NE(u.find("no ```json block"), std::string::npos);
}

TEST(Providers, RequestsOfBothFormats) {
  http::Request o = chatRequest(prov("openai"), "SYS", {{"user", "hi"}});
  EXPECT_EQ(o.url, "http://127.0.0.1:1/v1/chat/completions");
  bool bearer = false;
  for (auto &[k, v] : o.headers)
    bearer |= k == "Authorization" && v == "Bearer sk-test-SECRET";
  EXPECT_TRUE(bearer);
  auto ob = nlohmann::json::parse(o.body);
  EXPECT_EQ(ob["messages"][0]["role"], "system");
  EXPECT_EQ(ob["messages"][1]["content"], "hi");
  http::Request a = chatRequest(prov("anthropic"), "SYS", {{"user", "hi"}});
  EXPECT_EQ(a.url, "http://127.0.0.1:1/v1/messages");
  bool key = false, version = false;
  for (auto &[k, v] : a.headers) {
    key |= k == "x-api-key" && v == "sk-test-SECRET";
    version |= k == "anthropic-version" && v == "2023-06-01";
  }
  EXPECT_TRUE(key && version);
  EXPECT_EQ(nlohmann::json::parse(a.body)["system"], "SYS");
}

TEST(Providers, RepliesAndUsage) {
  ChatReply r = parseChatResponse(
      prov("openai"), 200,
      R"({"choices":[{"message":{"content":"T"}}],"usage":{"prompt_tokens":7,"completion_tokens":3}})");
  EXPECT_EQ(r.text, "T");
  EXPECT_EQ(r.inputTokens, 7u);
  EXPECT_EQ(r.outputTokens, 3u);
  r = parseChatResponse(
      prov("anthropic"), 200,
      R"({"content":[{"type":"text","text":"A"},{"type":"text","text":"B"}],"usage":{"input_tokens":5,"output_tokens":2}})");
  EXPECT_EQ(r.text, "AB");
  EXPECT_EQ(r.inputTokens, 5u);
}

TEST(Providers, ErrorsAreClassifiedAndRedacted) {
  auto kindOf = [](const ProviderConfig &p, long st, const std::string &b,
                   std::string &msg) {
    try {
      parseChatResponse(p, st, b);
    } catch (const ProviderError &e) {
      msg = e.what();
      return int(e.kind);
    }
    return -1;
  };
  std::string m;
  EXPECT_EQ(kindOf(prov("openai"), 401,
                   R"({"error":{"message":"bad key sk-test-SECRET"}})", m),
            int(ProviderError::Kind::Auth));
  EXPECT_NE(m.find("authentication failed for openai (check OPENAI_API_KEY"),
            std::string::npos);
  EXPECT_EQ(m.find("sk-test"), std::string::npos);
  EXPECT_EQ(kindOf(prov("anthropic"), 404, "{}", m),
            int(ProviderError::Kind::UnknownModel));
  EXPECT_NE(m.find("unknown model m1"), std::string::npos);
  EXPECT_EQ(kindOf(prov("openai"), 400,
                   R"({"error":{"message":"The model `m1` does not exist"}})",
                   m),
            int(ProviderError::Kind::UnknownModel));
  EXPECT_EQ(kindOf(prov("openai"), 200, "not json {", m),
            int(ProviderError::Kind::Malformed));
  EXPECT_EQ(kindOf(prov("openai"), 200, R"({"choices": []})", m),
            int(ProviderError::Kind::Malformed));
  EXPECT_EQ(kindOf(prov("openai"), 500, "{}", m),
            int(ProviderError::Kind::Http));
  EXPECT_EQ(m.find('\n'), std::string::npos);
}

TEST(Providers, KeysFromTheEnvironmentOnly) {
  ::unsetenv("ANTHROPIC_API_KEY");
  EXPECT_THROW(providerConfig("anthropic", "m", ""), UserError);
  EXPECT_NO_THROW(providerConfig("anthropic", "m", "", /*requireKey=*/false));
  EXPECT_THROW(providerConfig("openai", "", ""), UserError); // no --model
  ::setenv("ANTHROPIC_API_KEY", "k", 1);
  ProviderConfig p =
      providerConfig("anthropic", "m", "http://localhost:8000/v1/");
  EXPECT_EQ(p.baseUrl, "http://localhost:8000");
  EXPECT_EQ(p.apiKey, "k");
  EXPECT_NO_THROW(providerConfig("local", "", ""));
  EXPECT_THROW(providerConfig("local", "", "ftp://x"), UserError);
  ::unsetenv("ANTHROPIC_API_KEY");
}

TEST(Providers, InvalidUtf8InAPromptIsReplacedNotThrown) {
  std::string bad = "kernel.cl:1:1: error: stray '\xff' in program";
  http::Request r;
  ASSERT_NO_THROW(r = chatRequest(prov("openai"), "SYS", {{"user", bad}}));
  auto j = nlohmann::json::parse(r.body);
  EXPECT_NE(j["messages"][1]["content"].get<std::string>().find("stray"),
            std::string::npos);
}
