// Jobs for another machine: `ksynth run/bench --emit-job`, the worker run
// elsewhere (here: directly), then `--result` analysed here.
#include "RuntimeTestSupport.h"

#include "runtime/Bench.h"
#include "runtime/Differential.h"
#include "support/Error.h"

#include <gtest/gtest.h>

#include <fstream>

namespace ksynth::runtime {
namespace {

using test::Candidate;

nlohmann::json runJobFile(const std::string &path) {
  std::ifstream f(path);
  nlohmann::json job = nlohmann::json::parse(f);
  TempDir dir;
  WorkerOutcome o = runWorker(job, dir, test::workerOptions());
  EXPECT_TRUE(o.ok()) << o.message;
  return o.result;
}

TEST(RemoteJob, RunJobRoundTrip) {
  Candidate c(test::hardtanhSpec(R"([{"N": 67}])"), test::manifestFor("ident"),
              "__kernel void ident(__global const float *x, __global float "
              "*y, int n) { int i = get_global_id(0); if (i < n) y[i] = x[i]; "
              "}");
  RunOptions o;
  o.worker = test::workerOptions();
  o.emitJob = c.dir.file("job.json");
  RunReport emitted = differentialTest(c.spec, c.manifest, c.source(), o);
  EXPECT_EQ(emitted.verdict, "emitted");
  EXPECT_EQ(emitted.exitCode, 0);
  nlohmann::json result = runJobFile(o.emitJob);
  EXPECT_TRUE(result["sets"][0]["runs"][0]["outputs"]["y"].contains("base64"));

  o.emitJob.clear();
  o.result = &result;
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), o);
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));
  EXPECT_EQ(r.sets.size(), 6u);

  o.seed = 2; // another seed: the inputs do not match the result's
  EXPECT_THROW(differentialTest(c.spec, c.manifest, c.source(), o), UserError);
}

TEST(RemoteJob, NeedsExactlyOneShape) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              test::kHardtanh);
  RunOptions o;
  o.emitJob = c.dir.file("job.json");
  try {
    differentialTest(c.spec, c.manifest, c.source(), o);
    FAIL();
  } catch (const UserError &e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
  }
}

TEST(RemoteJob, BenchResultFromAnotherMachine) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              test::kHardtanh);
  BenchOptions o;
  o.shape = {{"N", 4096}};
  o.warmup = 1;
  o.iters = 3;
  o.rotate = 2;
  o.flushBytes = o.copyBytes = 1 << 20;
  std::ofstream(c.dir.file("bench.json"))
      << benchJob(c.spec, c.manifest, c.source(), o).dump();
  nlohmann::json result = runJobFile(c.dir.file("bench.json"));
  EXPECT_EQ(result["meta"]["shape"]["N"], 4096);
  BenchReport r = benchFromResult(result, c.spec, c.manifest, o.shape);
  EXPECT_EQ(r.verdict, "timed") << r.message;
  EXPECT_EQ(r.bytes, 2u * 4u * 4096u);
  EXPECT_TRUE(result["bench"]["check"]["performed"].get<bool>());
}

// Under a tolerance, outputs are compared with |got - ref| <= atol + rtol
// |ref|, and bench checks the bench shape with a run job (no digests).
TEST(Tolerance, OneUlpIsAcceptedOnlyWithinTheTolerance) {
  auto spec = [](const std::string &tol) {
    return R"({"name": "tenth",
      "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
      "ops": [{"op": "mul", "inputs": ["x", 0.1], "output": "y"}],
      "outputs": ["y"], "shapes": [{"N": 256}])" +
           tol + "}";
  };
  const char *kernel =
      "__kernel void tenth(__global const float *x, __global float *y, int "
      "n) { int i = get_global_id(0); if (i < n) y[i] = x[i] / 10.0f; }";
  RunOptions o;
  o.worker = test::workerOptions();
  Candidate exact(spec(""), test::manifestFor("tenth"), kernel);
  RunReport r = differentialTest(exact.spec, exact.manifest, exact.source(), o);
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));

  Candidate loose(spec(R"(, "tolerance": {"atol": 1e-30, "rtol": 1e-6})"),
                  test::manifestFor("tenth"), kernel);
  r = differentialTest(loose.spec, loose.manifest, loose.source(), o);
  EXPECT_EQ(r.exitCode, 0) << formatRunReport(r, loose.spec, loose.manifest);

  BenchOptions b;
  b.shape = {{"N", 4096}};
  b.warmup = 1;
  b.iters = 3;
  b.rotate = 2;
  b.flushBytes = b.copyBytes = 1 << 20;
  b.worker = test::workerOptions();
  nlohmann::json job = benchJob(loose.spec, loose.manifest, loose.source(), b);
  EXPECT_FALSE(job.contains("expect"));
  BenchReport br =
      benchCandidate(loose.spec, loose.manifest, loose.source(), b, o);
  EXPECT_EQ(br.verdict, "timed") << br.message;
  ASSERT_TRUE(br.check);
  EXPECT_EQ(br.check->sets.back().shape.at("N"), 4096); // the extra check
  bool flagged = false;
  for (const std::string &f : br.flags)
    flagged |= f.find("not bit-exact") != std::string::npos;
  EXPECT_TRUE(flagged);
}

} // namespace
} // namespace ksynth::runtime
