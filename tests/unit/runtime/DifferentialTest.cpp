// `ksynth run` on PoCL: correct kernels pass; unwritten outputs, modified
// inputs, nondeterminism, wrong values, hangs and crashes are caught.
#include "RuntimeTestSupport.h"

#include "runtime/Differential.h"
#include "support/Error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace ksynth::runtime {
namespace {

using test::Candidate;

RunOptions options(double timeout = 30) {
  RunOptions o;
  o.worker = test::workerOptions(timeout);
  return o;
}

bool hasProblem(const RunReport &r, const std::string &p) {
  for (const SetReport &s : r.sets) {
    auto ps = s.problems();
    if (std::find(ps.begin(), ps.end(), p) != ps.end())
      return true;
  }
  return false;
}

TEST(Differential, CorrectKernelPassesFromSource) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              test::kHardtanh);
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  ASSERT_FALSE(r.failure) << r.message;
  EXPECT_EQ(r.exitCode, 0) << formatRunReport(r, c.spec, c.manifest);
  EXPECT_EQ(r.sets.size(), 12u); // 6 distributions x 2 shapes
  EXPECT_EQ(r.program.value("from", ""), "source");
  EXPECT_FALSE(r.device.value("name", "").empty());
}

TEST(Differential, CorrectKernelPassesFromSpirBitcode) {
  if (std::system("command -v clang-15 >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "clang-15 not installed";
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              test::kHardtanh);
  std::string bc = c.dir.file("k.bc");
  std::string cmd = "clang-15 -x cl -cl-std=CL1.2 -target spir64 -O2 "
                    "-emit-llvm -c -Xclang -opaque-pointers " +
                    c.dir.file("k.cl") + " -o " + bc;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream f(bc, std::ios::binary);
  std::string bitcode((std::istreambuf_iterator<char>(f)),
                      std::istreambuf_iterator<char>());
  RunReport r = differentialTest(c.spec, c.manifest,
                                 programImage(c.manifest, bitcode), options());
  EXPECT_EQ(r.exitCode, 0) << formatRunReport(r, c.spec, c.manifest);
  EXPECT_EQ(r.program.value("from", ""), "binary");
}

TEST(Differential, WrongValuesAreReportedWorstFirst) {
  // The identity "cheat": right on [-1, 1], wrong outside.
  Candidate c(test::hardtanhSpec(), test::manifestFor("ident"),
              "__kernel void ident(__global const float *x, __global float "
              "*y, int n) { int i = get_global_id(0); if (i < n) y[i] = x[i]; "
              "}");
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));
  EXPECT_TRUE(hasProblem(r, "mismatch"));
  std::string text = formatRunReport(r, c.spec, c.manifest);
  EXPECT_NE(text.find("elements differ from the reference"), std::string::npos)
      << text;
  // The "large" set: every element is far outside [-1, 1].
  for (const SetReport &s : r.sets)
    if (s.label == "large") {
      ASSERT_FALSE(s.outputs[0].worst.empty());
      const ElementReport &e = s.outputs[0].worst[0];
      EXPECT_TRUE(e.expected == "1 (0x3f800000)" ||
                  e.expected == "-1 (0xbf800000)")
          << e.expected;
      EXPECT_EQ(e.inputs.at(0).second, e.got);
    }
}

TEST(Differential, IdentityPassesWhenTheDomainIsTheUnitRange) {
  Candidate c(test::hardtanhSpec(R"([{"N": 67}])", R"({"range": [-1.0, 1.0]})"),
              test::manifestFor("ident"),
              "__kernel void ident(__global const float *x, __global float "
              "*y, int n) { int i = get_global_id(0); if (i < n) y[i] = x[i]; "
              "}");
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, 0) << formatRunReport(r, c.spec, c.manifest);
}

TEST(Differential, UnwrittenOutputIsCaught) {
  Candidate c(test::hardtanhSpec(), test::manifestFor("hardtanh"),
              "__kernel void hardtanh(__global const float *x, __global float "
              "*y, int n) { int i = get_global_id(0); if (i < n - 1) { float "
              "v = x[i]; y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v); } "
              "}");
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));
  EXPECT_TRUE(hasProblem(r, "unwritten"));
  EXPECT_FALSE(hasProblem(r, "nondeterministic"));
  const OutputReport &o = r.sets[0].outputs[0];
  EXPECT_EQ(o.unwritten, 1);
  ASSERT_EQ(o.unwrittenAt.size(), 1u);
  EXPECT_EQ(o.unwrittenAt[0].flat, 66); // N = 67: the last element
}

TEST(Differential, ModifiedInputIsCaught) {
  Candidate c(test::hardtanhSpec(),
              test::manifestFor("hardtanh", R"(["x", "y", "N"])"),
              "__kernel void hardtanh(__global float *x, __global float *y, "
              "int n) { int i = get_global_id(0); if (i < n) { float v = "
              "x[i]; y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v); if (i "
              "== 5) x[i] = 0.0f; } }");
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));
  EXPECT_TRUE(hasProblem(r, "input-modified"));
  EXPECT_NE(r.sets[0].modifiedInputs.at(0).find("x[5]"), std::string::npos)
      << r.sets[0].modifiedInputs.at(0);
}

// Nondeterminism made reliable: the counter is a temporary, which starts
// with a different poison pattern in each run, so the atomic increments
// start from different values and the outputs of the two runs always
// differ (whatever order the work-items run in).
TEST(Differential, NondeterministicKernelIsCaught) {
  Candidate c(
      test::hardtanhSpec(R"([{"N": 64}])"),
      test::manifestFor(
          "counted", R"(["x", "y", "counter", "N"])",
          R"("temporaries": {"counter": {"dtype": "float32", "size": 1}}, )"),
      "__kernel void counted(__global const float *x, __global float "
      "*y, __global int *counter, int n) { int i = get_global_id(0); "
      "if (i < n) { float v = x[i]; v = v < -1.0f ? -1.0f : (v > "
      "1.0f ? 1.0f : v); y[i] = v + (float)atomic_inc(counter); } }");
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted))
      << formatRunReport(r, c.spec, c.manifest);
  EXPECT_TRUE(hasProblem(r, "nondeterministic"))
      << formatRunReport(r, c.spec, c.manifest);
}

TEST(Differential, HangIsKilledAndTheNextRunWorks) {
  Candidate hang(test::hardtanhSpec(R"([{"N": 4}])"), test::manifestFor("spin"),
                 "__kernel void spin(__global const float *x, __global float "
                 "*y, int n) { int i = get_global_id(0); volatile int k = 0; "
                 "while (k >= 0) { k = (k + 1) & 0xffff; } y[i] = x[i]; }");
  RunOptions o = options(3);
  o.dists = {gen::Dist::Normal};
  auto t0 = std::chrono::steady_clock::now();
  RunReport r = differentialTest(hang.spec, hang.manifest, hang.source(), o);
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Failed));
  EXPECT_EQ(r.verdict, "failed-to-run");
  EXPECT_NE(r.message.find("killed after 3 s deadline"), std::string::npos)
      << r.message;
  EXPECT_LT(secs, 6.0);

  Candidate ok(test::hardtanhSpec(R"([{"N": 4}])"),
               test::manifestFor("hardtanh"), test::kHardtanh);
  RunReport r2 = differentialTest(ok.spec, ok.manifest, ok.source(), o);
  EXPECT_EQ(r2.exitCode, 0) << r2.message;
}

TEST(Differential, CrashingKernelIsReported) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"), test::manifestFor("wild"),
              "__kernel void wild(__global const float *x, __global float *y, "
              "int n) { int i = get_global_id(0); __global float *p = y - "
              "(1L << 40); p[i] = x[i]; }");
  RunOptions o = options(20);
  o.dists = {gen::Dist::Normal};
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), o);
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Failed));
  EXPECT_NE(r.message.find("worker crashed: signal"), std::string::npos)
      << r.message;
}

TEST(Differential, BuildFailureIsReportedWithItsLog) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"), test::manifestFor("broken"),
              "__kernel void broken(__global const float *x, __global float "
              "*y, int n) { y[get_global_id(0)] = undefined_name; }");
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Failed));
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "build");
  EXPECT_NE(r.message.find("CL_BUILD_PROGRAM_FAILURE"), std::string::npos)
      << r.message;
  EXPECT_NE(r.failure->buildLog.find("undefined_name"), std::string::npos)
      << r.failure->buildLog;
}

TEST(Differential, BadKernelNameIsReported) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"), test::manifestFor("nosuch"),
              test::kHardtanh);
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Failed));
  EXPECT_NE(r.message.find("clCreateKernel('nosuch')"), std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("CL_INVALID_KERNEL_NAME"), std::string::npos)
      << r.message;
}

TEST(Differential, UnknownDeviceIsAUsageError) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"),
              test::manifestFor("hardtanh"), test::kHardtanh);
  RunOptions o = options();
  o.device = "no-such-device-anywhere";
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), o);
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Usage));
  EXPECT_NE(r.message.find("no device matches"), std::string::npos);
}

TEST(Differential, ScalarInputsFloatArgsAndTwoLaunches) {
  // y = x * s + 0.5 through a temporary, with s a 0-d input passed by value.
  std::string spec = R"({"name": "axpb",
    "inputs": {"x": {"dtype": "float32", "shape": ["N"]},
               "s": {"dtype": "float32", "shape": []}},
    "ops": [{"op": "mul", "inputs": ["x", "s"], "output": "t"},
            {"op": "add", "inputs": ["t", 0.5], "output": "y"}],
    "outputs": ["y"], "shapes": [{"N": 33}]})";
  std::string manifest = R"({"source": "k.cl",
    "temporaries": {"tmp": {"dtype": "float32", "size": "N"}},
    "launches": [
      {"kernel": "scale", "args": ["x", "s", "tmp", "N"], "global": ["N"]},
      {"kernel": "addc", "args": ["tmp", {"float": 0.5}, "y", "N"], "global": ["N"]}]})";
  Candidate c(spec, manifest,
              "__kernel void scale(__global const float *x, float s, __global "
              "float *t, int n) { int i = get_global_id(0); if (i < n) t[i] = "
              "x[i] * s; }\n"
              "__kernel void addc(__global const float *t, float c, __global "
              "float *y, int n) { int i = get_global_id(0); if (i < n) y[i] = "
              "t[i] + c; }");
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), options());
  EXPECT_EQ(r.exitCode, 0) << formatRunReport(r, c.spec, c.manifest);
}

// int64 outputs (8-byte elements): argmax along rows, PyTorch's rule (the
// first NaN wins, else the first maximum).
const char *kArgmaxSpec = R"({"name": "argmax",
  "inputs": {"x": {"dtype": "float32", "shape": ["R", "C"]}},
  "ops": [{"op": "argmax", "inputs": ["x"], "output": "y",
           "attrs": {"dim": 1}}],
  "outputs": ["y"], "shapes": [{"R": 64, "C": 7}]})";

TEST(Differential, Int64OutputsAreCompared) {
  std::string manifest = R"({"source": "k.cl", "launches": [{"kernel":
    "amax", "args": ["x", "y", "C"], "global": ["R"]}]})";
  Candidate good(kArgmaxSpec, manifest, R"(
__kernel void amax(__global const float *x, __global long *y, const int C) {
  int r = get_global_id(0);
  float best = x[r * C];
  long idx = 0;
  for (int k = 1; k < C; ++k) {
    float v = x[r * C + k];
    if (!isnan(best) && !(v <= best)) { best = v; idx = k; }
  }
  y[r] = idx;
})");
  RunReport r =
      differentialTest(good.spec, good.manifest, good.source(), options());
  EXPECT_EQ(r.exitCode, 0) << formatRunReport(r, good.spec, good.manifest);

  // Ignores NaN (fmax-style): wrong on the "special" set.
  Candidate bad(kArgmaxSpec, manifest, R"(
__kernel void amax(__global const float *x, __global long *y, const int C) {
  int r = get_global_id(0);
  float best = x[r * C];
  long idx = 0;
  for (int k = 1; k < C; ++k)
    if (x[r * C + k] > best) { best = x[r * C + k]; idx = k; }
  y[r] = idx;
})");
  RunReport rb =
      differentialTest(bad.spec, bad.manifest, bad.source(), options());
  EXPECT_EQ(rb.exitCode, toInt(ExitCode::Refuted))
      << formatRunReport(rb, bad.spec, bad.manifest);
  for (const SetReport &s : rb.sets)
    EXPECT_EQ(s.passed(), s.label != "special") << s.label;
}

TEST(Differential, JsonReportHasSetsAndVerdict) {
  Candidate c(test::hardtanhSpec(R"([{"N": 8}])"),
              test::manifestFor("hardtanh"), test::kHardtanh);
  RunOptions o = options();
  o.trials = 2;
  RunReport r = differentialTest(c.spec, c.manifest, c.source(), o);
  nlohmann::json j = runReportJson(r, c.spec, c.manifest);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["sets"].size(), 12u);
  EXPECT_EQ(j["sets"][6]["trial"], 1);
}

} // namespace
} // namespace ksynth::runtime
