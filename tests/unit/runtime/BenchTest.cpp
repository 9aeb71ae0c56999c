// `ksynth bench` on PoCL with tiny sizes: statistics, the measured peak,
// the floor (the larger of the bytes and the flops floor), Google Benchmark
// JSON, and refusal to time a wrong kernel (at the spec's shapes through
// differential testing, at the bench shape through the worker's
// reference-digest check).
#include "RuntimeTestSupport.h"

#include "runtime/Bench.h"
#include "support/Error.h"

#include <gtest/gtest.h>

#include <algorithm>

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
  o.peakMs = 1;
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
  // The measured float32 peak, and the floor as the larger of two.
  EXPECT_GT(r.peakGflops, 0);
  EXPECT_EQ(r.flops.total, 2.0 * (1 << 16)); // hardtanh: two compares
  EXPECT_GT(r.bytesFloorUs, 0);
  EXPECT_GT(r.flopsFloorUs, 0);
  EXPECT_EQ(r.floorUs, std::max(r.bytesFloorUs, r.flopsFloorUs));
  EXPECT_DOUBLE_EQ(r.flopsFloorUs, r.flops.total / r.peakGflops / 1e3);
  const nlohmann::json &b = r.result.at("bench");
  EXPECT_GT(b.at("peak").at("flops_per_second").get<double>(), 0);
  EXPECT_GT(b.at("peak").at("kernels").size(), 0u);
  EXPECT_EQ(b.at("samples").at("event_us").size(), 5u);
  EXPECT_EQ(b.at("rotate"), 2);
  EXPECT_TRUE(b.at("check").at("performed").get<bool>());
  std::string table = formatBenchReport(r);
  EXPECT_NE(table.find("event us"), std::string::npos) << table;
  EXPECT_NE(table.find("floor"), std::string::npos) << table;
  EXPECT_NE(table.find("flops floor"), std::string::npos) << table;
  EXPECT_NE(table.find("float32 peak"), std::string::npos) << table;

  nlohmann::json gb = googleBenchmarkJson(r);
  EXPECT_FALSE(gb["context"]["ksynth_device"].get<std::string>().empty());
  EXPECT_EQ(gb["benchmarks"].size(), 5u + 4u); // iterations + aggregates
  EXPECT_EQ(gb["benchmarks"][0]["run_type"], "iteration");
  EXPECT_EQ(gb["benchmarks"][0]["time_unit"], "us");
  EXPECT_EQ(gb["benchmarks"][0]["name"], "hardtanh/k/N:65536");
  EXPECT_EQ(gb["benchmarks"][6]["aggregate_name"], "median");
  EXPECT_EQ(gb["benchmarks"][6]["floor_us"].get<double>(), r.floorUs);
  EXPECT_EQ(gb["benchmarks"][6]["flops_floor_us"].get<double>(),
            r.flopsFloorUs);
  EXPECT_EQ(gb["benchmarks"][6]["bytes_floor_us"].get<double>(),
            r.bytesFloorUs);
  EXPECT_GT(gb["benchmarks"][0]["flops_per_second"].get<double>(), 0);
  EXPECT_EQ(gb["context"]["ksynth_flops"].get<double>(), r.flops.total);
}

// A worker result written by hand: 2^16 hardtanh elements (2^19 bytes,
// 2^17 flops), copy bandwidth 100 GB/s (bytes floor 5.24288 us), the given
// peak and median.
nlohmann::json syntheticResult(double peakGflops, double medianUs) {
  nlohmann::json stats{{"median", medianUs}, {"mean", medianUs},
                       {"min", medianUs},    {"iqr", 0.0},
                       {"stddev", 0.0},      {"n", 1}};
  nlohmann::json b{{"copy", {{"gbps_read_plus_write", 100.0}}},
                   {"event_us", stats},
                   {"wall_us", stats},
                   {"check", {{"performed", true}}},
                   {"flags", nlohmann::json::array()}};
  if (peakGflops >= 0)
    b["peak"] = {{"gflops", peakGflops},
                 {"flops_per_second", peakGflops * 1e9}};
  return {{"ok", true}, {"bench", b}};
}

bool hasFlag(const BenchReport &r, const std::string &text) {
  for (const std::string &f : r.flags)
    if (f.find(text) != std::string::npos)
      return true;
  return false;
}

TEST(Bench, FloorIsTheLargerOfBytesAndFlops) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              test::kHardtanh);
  spec::ShapeBinding shape{{"N", 1 << 16}};
  // A fast device: 1000 GFLOP/s gives a flops floor of 0.131 us, the bytes
  // floor (5.24 us) is the floor.
  BenchReport r =
      benchFromResult(syntheticResult(1000, 20), c.spec, c.manifest, shape);
  ASSERT_EQ(r.verdict, "timed") << r.message;
  EXPECT_DOUBLE_EQ(r.bytesFloorUs, 5.24288);
  EXPECT_DOUBLE_EQ(r.flopsFloorUs, 0.131072);
  EXPECT_DOUBLE_EQ(r.floorUs, 5.24288);
  EXPECT_EQ(r.floorBound, "bytes");
  EXPECT_FALSE(hasFlag(r, "implausible"));
  // A slow one: 1 GFLOP/s, flops floor 131.072 us, so a 20 us median is
  // implausible although it is above the bytes floor.
  r = benchFromResult(syntheticResult(1, 20), c.spec, c.manifest, shape);
  EXPECT_DOUBLE_EQ(r.flopsFloorUs, 131.072);
  EXPECT_DOUBLE_EQ(r.floorUs, 131.072);
  EXPECT_EQ(r.floorBound, "flops");
  EXPECT_TRUE(hasFlag(r, "implausible")) << formatBenchReport(r);
  EXPECT_TRUE(hasFlag(r, "flops floor"));
  EXPECT_NEAR(r.ratio, 20 / 131.072, 1e-12);
  // Within 5% below the flops floor: "at the floor", not implausible.
  r = benchFromResult(syntheticResult(1, 128), c.spec, c.manifest, shape);
  EXPECT_FALSE(hasFlag(r, "implausible"));
  EXPECT_TRUE(hasFlag(r, "at the floor"));
  // A result without a peak (an older worker): the bytes floor, flagged.
  r = benchFromResult(syntheticResult(-1, 20), c.spec, c.manifest, shape);
  EXPECT_EQ(r.flopsFloorUs, 0);
  EXPECT_DOUBLE_EQ(r.floorUs, 5.24288);
  EXPECT_TRUE(hasFlag(r, "no float32 peak"));
  EXPECT_NE(formatBenchReport(r).find("not measured"), std::string::npos);
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
  EXPECT_EQ(job["meta"]["flops"].get<double>(), 2.0 * (1 << 16));
  EXPECT_EQ(job["bench"]["peak_ms"].get<double>(), 1.0);
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
