// Which verification method a shape gets (verify/MethodChoice.h): kernels
// compiled from source, specs and manifests parsed as the CLI does.
#include "verify/MethodChoice.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

using namespace ksynth;
using namespace ksynth::verify;

namespace {

const char *kRelu = R"(
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i < n) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
})";

const char *kReluLocal = R"(
__kernel void relu(__global const float *x, __global float *y, int n) {
  __local float t[64];
  int i = get_global_id(0), l = get_local_id(0);
  t[l] = i < n ? x[i] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (i < n) y[i] = t[l] > 0.0f ? t[l] : 0.0f;
})";

struct Fixture {
  std::string dir;
  spec::Spec spec;
  spec::Manifest manifest;

  Fixture(const char *source, bool local) {
    char tmpl[] = "/tmp/ksynth-methodchoice-XXXXXX";
    dir = mkdtemp(tmpl);
    std::ofstream(dir + "/k.cl") << source;
    nlohmann::json s = {
        {"name", "relu"},
        {"inputs", {{"x", {{"dtype", "float32"}, {"shape", {"N"}}}}}},
        {"ops", {{{"op", "relu"}, {"inputs", {"x"}}, {"output", "y"}}}},
        {"outputs", {"y"}},
        {"shapes", {{{"N", 64}}, {{"N", 1 << 20}}}}};
    spec = spec::parseSpec(s, dir + "/spec.json");
    nlohmann::json launch = {
        {"kernel", "relu"}, {"args", {"x", "y", "N"}}, {"global", {"N"}}};
    if (local)
      launch["local"] = {64};
    nlohmann::json m = {{"source", dir + "/k.cl"}, {"launches", {launch}}};
    manifest = spec::parseManifest(m, dir + "/manifest.json", spec);
  }
  ~Fixture() {
    std::remove((dir + "/k.cl").c_str());
    rmdir(dir.c_str());
  }
  MethodChoice choose(size_t shape, VerifyOptions opts = {}) {
    const spec::ShapeBinding &b = spec.shapes.at(shape);
    return chooseMethod(spec, manifest, b, opts);
  }
};

} // namespace

TEST(MethodChoice, SmallShapesAreEnumerated) {
  Fixture f(kRelu, false);
  MethodChoice c = f.choose(0);
  EXPECT_EQ(c.method, Method::Enumerate);
  EXPECT_EQ(c.items, 64u);
  EXPECT_TRUE(c.canEnumerate);
  EXPECT_NE(c.whyNotSymbolic.find("--symbolic-above"), std::string::npos);
}

TEST(MethodChoice, LargeElementwiseShapesGetOneWorkItem) {
  Fixture f(kRelu, false);
  MethodChoice c = f.choose(1);
  EXPECT_EQ(c.method, Method::OneWorkItem);
  EXPECT_EQ(c.items, uint64_t(1) << 20);
  EXPECT_EQ(c.outElems, uint64_t(1) << 20);
  VerifyOptions hi;
  hi.symbolicAbove = uint64_t(1) << 21; // the threshold is the option's
  EXPECT_EQ(f.choose(1, hi).method, Method::Enumerate);
}

TEST(MethodChoice, BarriersNeedTheGroupMethodAndALocalSize) {
  Fixture withLocal(kReluLocal, true);
  MethodChoice c = withLocal.choose(1);
  EXPECT_EQ(c.method, Method::OneWorkGroup);
  EXPECT_EQ(c.groupItems, 64u);
  Fixture noLocal(kReluLocal, false);
  MethodChoice d = noLocal.choose(1);
  EXPECT_EQ(d.method, Method::Enumerate);
  EXPECT_NE(d.whyNotSymbolic.find("no local size"), std::string::npos)
      << d.whyNotSymbolic;
}

namespace {

const char *kCumprod = R"(
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float p = 1.0f;
  for (int j = 0; j < N; ++j) {
    p *= x[r * N + j];
    y[r * N + j] = p;
  }
})";

// cumprod has no symbolic-index form (enumeration only); rows of 8.
MethodChoice chooseCumprod(int64_t rows, VerifyOptions opts = {}) {
  char tmpl[] = "/tmp/ksynth-methodchoice-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/k.cl") << kCumprod;
  nlohmann::json s = {
      {"name", "cumprod"},
      {"inputs", {{"x", {{"dtype", "float32"}, {"shape", {"M", "N"}}}}}},
      {"ops",
       {{{"op", "cumprod"},
         {"inputs", {"x"}},
         {"output", "y"},
         {"attrs", {{"dim", 1}}}}}},
      {"outputs", {"y"}},
      {"shapes", {{{"M", rows}, {"N", 8}}}},
      {"tolerance", {{"atol", 1e-5}, {"rtol", 1e-5}}}};
  spec::Spec sp = spec::parseSpec(s, dir + "/spec.json");
  nlohmann::json m = {
      {"source", dir + "/k.cl"},
      {"launches",
       {{{"kernel", "k"}, {"args", {"x", "y", "N"}}, {"global", {"M"}}}}}};
  spec::Manifest man = spec::parseManifest(m, dir + "/manifest.json", sp);
  MethodChoice c = chooseMethod(sp, man, sp.shapes.at(0), opts);
  std::remove((dir + "/k.cl").c_str());
  rmdir(dir.c_str());
  return c;
}

} // namespace

// 2^21 work-items (under the work-item limit) but 2^24 input elements of
// an op with no symbolic-index form: too large to enumerate, said by the
// method choice before anything is enumerated, naming the limit.
TEST(MethodChoice, TooLargeToEnumerateIsSaidBeforeStarting) {
  MethodChoice c = chooseCumprod(int64_t(1) << 21);
  EXPECT_EQ(c.method, Method::Enumerate);
  EXPECT_FALSE(c.canEnumerate);
  EXPECT_NE(c.tooLarge.find("16777216"), std::string::npos) << c.tooLarge;
  EXPECT_NE(c.tooLarge.find("4194304"), std::string::npos) << c.tooLarge;
  // The limits are ExecLimits'.
  VerifyOptions big;
  big.limits.maxEnumeratedInputElems = uint64_t(1) << 25;
  EXPECT_TRUE(chooseCumprod(int64_t(1) << 21, big).tooLarge.empty());
  VerifyOptions few;
  few.limits.maxEnumeratedItems = 1000;
  MethodChoice d = chooseCumprod(4096, few);
  EXPECT_NE(d.tooLarge.find("4096 work-items"), std::string::npos)
      << d.tooLarge;
  EXPECT_TRUE(chooseCumprod(64).tooLarge.empty());
}
