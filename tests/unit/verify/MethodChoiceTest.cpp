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
