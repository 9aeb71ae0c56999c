// Work-groups through the public verifier: barrier intervals, __local
// memory, the local-memory limit and the barrier-divergence witness.
#include "verify/Verifier.h"

#include "support/Float.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

using namespace ksynth;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

class WorkGroupTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ksynth_workgroup_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    spec_ = spec::parseSpec(json::parse(R"({
      "inputs": { "x": { "dtype": "float32", "shape": ["N"] } },
      "ops": [ { "op": "relu", "inputs": ["x"], "output": "y" } ],
      "outputs": ["y"],
      "shapes": [ { "N": 40 } ] })"),
                            "spec.json");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Verifies `source` with one launch of kernel k(x, y, N, local buffer)
  // over roundup(N, 8) work-items in groups of 8.
  verify::Verdict run(const std::string &source, const std::string &bytes,
                      std::optional<int64_t> limit = std::nullopt) {
    std::ofstream(dir_ / "k.cl") << source;
    json m = {{"source", "k.cl"},
              {"launches",
               {{{"kernel", "k"},
                 {"args", {"x", "y", "N", {{"local", bytes}}}},
                 {"global", {"roundup(N, 8)"}},
                 {"local", {8}}}}}};
    if (limit)
      m["local_mem_bytes"] = *limit;
    spec::Manifest man =
        spec::parseManifest(m, (dir_ / "m.json").string(), spec_);
    verify::VerifyOptions o;
    o.solver.timeoutMs = 20000;
    return verify::verify(spec_, man, o);
  }

  fs::path dir_;
  spec::Spec spec_;
};

const char *kStage = R"(
__kernel void k(__global const float *x, __global float *y, const int n,
                __local float *t) {
  int l = get_local_id(0), g = get_global_id(0);
  int src = get_group_id(0) * 8 + 7 - l;
  t[7 - l] = src < n ? x[src] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = t[l];
  if (g < n)
    y[g] = v < 0.0f ? 0.0f : v;
}
)";

TEST_F(WorkGroupTest, StagedThroughLocalMemoryIsProved) {
  verify::Verdict v = run(kStage, "32");
  EXPECT_EQ(v.outcome, verify::Outcome::Proved) << v.toText();
}

TEST_F(WorkGroupTest, LimitIsInclusive) {
  EXPECT_EQ(run(kStage, "32", 32).outcome, verify::Outcome::Proved);
  verify::Verdict v = run(kStage, "32", 31);
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  EXPECT_EQ(v.counterexample->obligation, "local-memory-limit");
  EXPECT_NE(v.counterexample->detail.find("uses 32 bytes"), std::string::npos)
      << v.counterexample->detail;
}

TEST_F(WorkGroupTest, TooSmallLocalBufferIsAMemorySafetyBug) {
  verify::Verdict v = run(kStage, "28");
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  EXPECT_EQ(v.counterexample->obligation, "memory-safety");
}

// The counterexample of a data-dependent divergence names two work-items
// that do stop at different points on its inputs.
TEST_F(WorkGroupTest, DivergenceWitnessMatchesTheInputs) {
  verify::Verdict v = run(R"(
__kernel void k(__global const float *x, __global float *y, const int n,
                __local float *t) {
  int g = get_global_id(0);
  float v = g < n ? x[g] : 0.0f;
  if (v < 0.0f) {
    barrier(CLK_LOCAL_MEM_FENCE);
    v = 0.0f;
  }
  if (g < n)
    y[g] = v;
}
)",
                          "32");
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  const verify::Counterexample &cx = *v.counterexample;
  EXPECT_EQ(cx.obligation, "barrier-divergence");
  std::smatch mt;
  ASSERT_TRUE(std::regex_search(
      cx.detail, mt,
      std::regex("work-item ([0-9]+) reaches barrier #1 in k but work-item "
                 "([0-9]+) of the same work-group returned")))
      << cx.detail;
  size_t waits = std::stoul(mt[1]), returned = std::stoul(mt[2]);
  ASSERT_LT(waits, 40u);
  ASSERT_LT(returned, 40u);
  EXPECT_EQ(waits / 8, returned / 8);
  const std::vector<uint64_t> &x = cx.inputs.at("x").bits;
  EXPECT_TRUE(bitsFloat(x[waits]) < 0.0f) << x[waits];
  EXPECT_FALSE(bitsFloat(x[returned]) < 0.0f) << x[returned];
}

// Without a work-group size, a barrier is unknown (never proved).
TEST_F(WorkGroupTest, BarrierWithoutLocalSizeIsUnknown) {
  std::ofstream(dir_ / "k.cl") << R"(
__kernel void k(__global const float *x, __global float *y, const int n) {
  int g = get_global_id(0);
  float v = g < n ? x[g] : 0.0f;
  barrier(CLK_GLOBAL_MEM_FENCE);
  if (g < n)
    y[g] = v < 0.0f ? 0.0f : v;
}
)";
  json m = {
      {"source", "k.cl"},
      {"launches",
       {{{"kernel", "k"}, {"args", {"x", "y", "N"}}, {"global", {"N"}}}}}};
  verify::Verdict v = verify::verify(
      spec_, spec::parseManifest(m, (dir_ / "m.json").string(), spec_), {});
  EXPECT_EQ(v.outcome, verify::Outcome::Unknown) << v.toText();
  EXPECT_EQ(v.unknownKind, "unsupported");
}

} // namespace
