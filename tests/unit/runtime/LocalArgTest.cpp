// `{"local": BYTES}` kernel arguments (docs/manifest-format.md): the job
// carries the evaluated size, the worker passes it as clSetKernelArg(size,
// NULL), and a kernel that stages its work-group's elements through __local
// memory with a barrier runs and is timed on PoCL.
#include "RuntimeTestSupport.h"

#include "runtime/Bench.h"
#include "runtime/Differential.h"

#include <gtest/gtest.h>

namespace ksynth::runtime {
namespace {

using test::Candidate;

// Each work-item loads one element into the tile, then (after the barrier)
// writes hardtanh of its right neighbour's element, so every output comes
// from another work-item's load through __local memory.
const char *kStaged = R"(
__kernel void staged(__global const float *x, __global float *y, const int n,
                     __local float *tile) {
  int l = get_local_id(0), L = get_local_size(0);
  int g = get_group_id(0) * L;
  tile[l] = g + l < n ? x[g + l] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  int j = (l + 1) % L;
  if (g + j < n) {
    float v = tile[j];
    y[g + j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
})";

std::string stagedManifest(const std::string &localBytes) {
  return R"({"source": "k.cl", "launches": [{"kernel": "staged",
    "args": ["x", "y", "N", {"local": ")" +
         localBytes + R"("}],
    "global": ["(N+63)/64*64"], "local": [64]}]})";
}

TEST(LocalArg, JobCarriesTheEvaluatedSize) {
  Candidate c(test::hardtanhSpec(), stagedManifest("64*4"), kStaged);
  JobPlan plan = planJob(c.spec, c.manifest, {{"N", 67}});
  const nlohmann::json &args = plan.launches.at(0).at("args");
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[3], nlohmann::json({{"local", 256}}));
  EXPECT_EQ(plan.launches.at(0).at("global"), nlohmann::json({128}));
  EXPECT_EQ(plan.launches.at(0).at("local"), nlohmann::json({64}));
}

TEST(LocalArg, StagedKernelPassesDifferentialTesting) {
  Candidate c(test::hardtanhSpec(), stagedManifest("64*4"), kStaged);
  RunOptions o;
  o.worker = test::workerOptions();
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), o);
  ASSERT_FALSE(r.failure) << r.message;
  EXPECT_EQ(r.exitCode, 0) << formatRunReport(r, c.spec, c.manifest);
  EXPECT_EQ(r.sets.size(), 12u); // 6 distributions x 2 shapes (67, 64)
}

TEST(LocalArg, StagedKernelIsTimed) {
  Candidate c(test::hardtanhSpec(), stagedManifest("64*4"), kStaged);
  BenchOptions b;
  b.shape = {{"N", 4096}};
  b.warmup = 1;
  b.iters = 3;
  b.rotate = 1;
  b.flushBytes = 1 << 20;
  b.copyBytes = 1 << 20;
  b.peakMs = 1;
  b.worker = test::workerOptions(60);
  RunOptions check;
  check.worker = test::workerOptions();
  check.dists = {gen::Dist::Normal, gen::Dist::Special};
  BenchReport r = benchCandidate(c.spec, c.manifest, c.source(), b, check);
  ASSERT_EQ(r.verdict, "timed") << r.message;
  EXPECT_GT(r.medianUs, 0);
  EXPECT_TRUE(r.result.at("bench").at("check").at("performed").get<bool>());
}

} // namespace
} // namespace ksynth::runtime
