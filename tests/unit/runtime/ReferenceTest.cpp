// The streamed reference (runtime/Reference.h, issue 17) gives exactly the
// interpreter's bytes: broadcasting, shared intermediates, literals, bool
// outputs, several outputs, every input distribution; a spec with a tensor
// op goes through the interpreter and its memory is estimated.
#include "runtime/Reference.h"
#include "runtime/Job.h"
#include "spec/Interpreter.h"

#include <gtest/gtest.h>

namespace ksynth::runtime {
namespace {

spec::Spec parse(const char *text) {
  return spec::parseSpec(nlohmann::json::parse(text), "test.json");
}

// x[M,N] and b[N]: t = x + b (broadcast), u = t * t, y = hardtanh(u - b),
// m = (t < 0.5) for a bool output, z = max(t, 2.0) with a literal, k a
// 0-d input.
const char *kSpec = R"({"name": "mix",
  "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]},
             "b": {"dtype": "float32", "shape": ["N"]},
             "k": {"dtype": "float32", "shape": []}},
  "ops": [{"op": "add", "inputs": ["x", "b"], "output": "t"},
          {"op": "mul", "inputs": ["t", "t"], "output": "u"},
          {"op": "sub", "inputs": ["u", "b"], "output": "v"},
          {"op": "hardtanh", "inputs": ["v"], "output": "y",
           "attrs": {"min_val": -1.0, "max_val": 1.0}},
          {"op": "lt", "inputs": ["t", 0.5], "output": "m"},
          {"op": "maximum", "inputs": ["t", "k"], "output": "z"}],
  "outputs": ["y", "m", "z"], "domain": {"x": "all", "b": "all", "k": "all"},
  "shapes": [{"M": 5, "N": 7}]})";

TEST(Reference, StreamedEqualsInterpreterBitForBit) {
  spec::Spec s = parse(kSpec);
  ASSERT_TRUE(streamsReference(s));
  spec::Manifest m; // no temporaries, no launches: planJob needs neither
  JobPlan plan = planJob(s, m, {{"M", 5}, {"N", 7}});
  EXPECT_EQ(referenceHostBytes(s, plan), 0u);
  for (gen::Dist d : gen::allDists()) {
    InputSet set = generatedSet(s, d, 42, gen::distName(d));
    std::map<std::string, std::vector<uint8_t>> bytes;
    InputBytes in;
    for (const BufferPlan &b : plan.buffers)
      if (b.role == "input" || b.role == "scalar") {
        bytes[b.name] = hostBytes(b, set.inits.at(b.name));
        in[b.name] = &bytes[b.name];
      }
    auto streamed = referenceBytes(s, plan, in);
    auto ref = spec::interpret(s, plan.shape, inputTensors(s, plan, bytes));
    ASSERT_EQ(streamed.size(), 3u);
    for (const auto &[name, t] : ref)
      EXPECT_EQ(streamed.at(name), tensorBytes(t))
          << name << " with " << gen::distName(d);
  }
}

TEST(Reference, TensorOpsUseTheInterpreterAndAreEstimated) {
  spec::Spec s = parse(R"({"name": "rowsum",
    "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
    "ops": [{"op": "sum", "inputs": ["x"], "output": "y",
             "attrs": {"dim": 1}}],
    "outputs": ["y"], "domain": {"x": "all"},
    "shapes": [{"M": 3, "N": 4}], "tolerance": {"atol": 1e-5, "rtol": 1e-5}})");
  EXPECT_FALSE(streamsReference(s));
  spec::Manifest m;
  JobPlan plan = planJob(s, m, {{"M", 3}, {"N", 4}});
  // The input bytes, and 24-byte scalars: input twice, output twice, plus
  // every tensor once (12 + 3 elements).
  EXPECT_GE(referenceHostBytes(s, plan), 48u + 24u * (12 + 3 + 12 + 3));
  InputSet set = generatedSet(s, gen::Dist::Normal, 7, "normal");
  std::map<std::string, std::vector<uint8_t>> bytes;
  bytes["x"] = hostBytes(*plan.find("x"), set.inits.at("x"));
  auto out = referenceBytes(s, plan, {{"x", &bytes["x"]}});
  auto ref = spec::interpret(s, plan.shape, inputTensors(s, plan, bytes));
  EXPECT_EQ(out.at("y"), tensorBytes(ref.at("y")));
}

} // namespace
} // namespace ksynth::runtime
