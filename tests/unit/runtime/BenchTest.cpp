// `ksynth bench` on PoCL with tiny sizes: statistics, floor, Google
// Benchmark JSON, and refusal to time a wrong kernel (at the spec's shapes
// through differential testing, at the bench shape through the worker's
// reference-digest check).
#include "RuntimeTestSupport.h"

#include "runtime/Bench.h"
#include "support/Error.h"

#include <gtest/gtest.h>

namespace ksynth::runtime {
namespace {

using test::Candidate;

BenchOptions small() {
  BenchOptions o;
  o.shape = {{"N", 1 << 16}};
  o.warmup = 1;
  o.iters = 5;
  o.rotate = 2;
  o.flushBytes = 1 << 20;
  o.copyBytes = 1 << 20;
  o.worker = test::workerOptions(60);
  return o;
}

RunOptions check() {
  RunOptions o;
  o.worker = test::workerOptions();
  return o;
}

TEST(Bench, TimesACorrectKernel) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              test::kHardtanh);
  BenchReport r =
      benchCandidate(c.spec, c.manifest, c.source(), small(), check());
  ASSERT_EQ(r.verdict, "timed") << r.message;
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.bytes, 2u * 4u * (1u << 16));
  EXPECT_GT(r.medianUs, 0);
  EXPECT_GT(r.copyGBps, 0);
  EXPECT_GT(r.floorUs, 0);
  EXPECT_LE(r.minUs, r.medianUs);
  const nlohmann::json &b = r.result.at("bench");
  EXPECT_EQ(b.at("samples").at("event_us").size(), 5u);
  EXPECT_EQ(b.at("rotate"), 2);
  EXPECT_TRUE(b.at("check").at("performed").get<bool>());
  std::string table = formatBenchReport(r);
  EXPECT_NE(table.find("event us"), std::string::npos) << table;
  EXPECT_NE(table.find("floor"), std::string::npos) << table;

  nlohmann::json gb = googleBenchmarkJson(r);
  EXPECT_FALSE(gb["context"]["ksynth_device"].get<std::string>().empty());
  EXPECT_EQ(gb["benchmarks"].size(), 5u + 4u); // iterations + aggregates
  EXPECT_EQ(gb["benchmarks"][0]["run_type"], "iteration");
  EXPECT_EQ(gb["benchmarks"][0]["time_unit"], "us");
  EXPECT_EQ(gb["benchmarks"][0]["name"], "hardtanh/k/N:65536");
  EXPECT_EQ(gb["benchmarks"][6]["aggregate_name"], "median");
}

TEST(Bench, RefusesAKernelThatFailsDifferentialTesting) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("ident"),
              "__kernel void ident(__global const float *x, __global float "
              "*y, int n) { int i = get_global_id(0); if (i < n) y[i] = x[i]; "
              "}");
  BenchReport r =
      benchCandidate(c.spec, c.manifest, c.source(), small(), check());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));
  EXPECT_EQ(r.verdict, "refused");
  EXPECT_FALSE(r.result.contains("bench")); // nothing was timed
  EXPECT_NE(r.message.find("refusing to time"), std::string::npos);
}

TEST(Bench, RefusesAKernelThatIsWrongOnlyAtTheBenchShape) {
  // Special-cases the tested shapes: correct for n < 1000, zeros above.
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              "__kernel void hardtanh(__global const float *x, __global float "
              "*y, const int n) { int i = get_global_id(0); if (i < n) { "
              "float v = x[i]; y[i] = n > 1000 ? 0.0f : (v < -1.0f ? -1.0f : "
              "(v > 1.0f ? 1.0f : v)); } }");
  BenchReport r =
      benchCandidate(c.spec, c.manifest, c.source(), small(), check());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted)) << r.message;
  EXPECT_EQ(r.verdict, "refused");
  EXPECT_FALSE(r.result.at("bench").contains("samples"));
  EXPECT_NE(r.message.find("refusing to time"), std::string::npos) << r.message;
}

TEST(Bench, EmittedJobCarriesDigestsAndMeta) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              test::kHardtanh);
  nlohmann::json job = benchJob(c.spec, c.manifest, c.source(), small());
  EXPECT_EQ(job["mode"], "bench");
  EXPECT_EQ(job["expect"].size(), 2u);
  EXPECT_EQ(job["sets"].size(), 2u);
  EXPECT_EQ(job["meta"]["shape"]["N"], 1 << 16);
  EXPECT_EQ(job["meta"]["bytes_moved"], 2u * 4u * (1u << 16));
  EXPECT_TRUE(job["sets"][0]["x"].contains("generate")); // small job
  EXPECT_LT(job.dump().size(), 8000u);
}

TEST(Bench, DefaultShapeIsTheLargestListed) {
  Candidate c(test::hardtanhSpec(R"([{"N": 64}, {"N": 300}, {"N": 67}])"),
              test::manifestFor("hardtanh"), test::kHardtanh);
  EXPECT_EQ(defaultBenchShape(c.spec).at("N"), 300);
}

} // namespace
} // namespace ksynth::runtime
