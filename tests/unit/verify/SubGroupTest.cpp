// Sub-groups (cl_khr_subgroups) through the public verifier: the declared
// size, sub_group_barrier's ordering (its own sub-group only), sub-groups
// that pass different sub-group points, divergence within a sub-group and
// the collectives' implementation-defined parts (float sums, any/all's
// non-zero value, broadcast's id).
#include "verify/Verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace ksynth;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

class SubGroupTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ksynth_subgroup_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // relu(x) at N = 16, one launch k(x, y, N) of 16 work-items in groups
  // of `local`, sub-groups of `sgSize` (none if 0).
  verify::Verdict relu(const std::string &source, int local, int sgSize) {
    spec::Spec s = spec::parseSpec(json::parse(R"({
      "inputs": { "x": { "dtype": "float32", "shape": ["N"] } },
      "ops": [ { "op": "relu", "inputs": ["x"], "output": "y" } ],
      "outputs": ["y"],
      "shapes": [ { "N": 16 } ] })"),
                                   "spec.json");
    json launch = {{"kernel", "k"},
                   {"args", {"x", "y", "N"}},
                   {"global", {"N"}},
                   {"local", {local}}};
    if (sgSize)
      launch["sub_group_size"] = sgSize;
    return run(s, source, launch);
  }

  // y = a + b (or a + b + c with `three`) at N = 4, zero sign ignored,
  // over 2N (3N) work-items in sub-groups of 2 (3), one per element.
  verify::Verdict sum(const std::string &source, bool three,
                      bool ignoreZeroSign = true) {
    json sj = json::parse(R"({
      "inputs": { "a": { "dtype": "float32", "shape": ["N"] },
                  "b": { "dtype": "float32", "shape": ["N"] },
                  "c": { "dtype": "float32", "shape": ["N"] } },
      "ops": [ { "op": "add", "inputs": ["a", "b"], "output": "ab" },
               { "op": "add", "inputs": ["ab", "c"], "output": "abc" } ],
      "shapes": [ { "N": 4 } ] })");
    sj["outputs"] = {three ? "abc" : "ab"};
    sj["tolerance"] = {{"ignore_zero_sign", ignoreZeroSign}};
    spec::Spec s = spec::parseSpec(sj, "spec.json");
    int n = three ? 3 : 2;
    json launch = {{"kernel", "k"},
                   {"args", {"a", "b", "c", three ? "abc" : "ab", "N"}},
                   {"global", {std::to_string(n) + "*N"}},
                   {"local", {2 * n}},
                   {"sub_group_size", n}};
    return run(s, source, launch);
  }

  verify::Verdict run(const spec::Spec &s, const std::string &source,
                      const json &launch) {
    std::ofstream(dir_ / "k.cl") << source;
    json m = {{"source", "k.cl"}, {"launches", {launch}}};
    spec::Manifest man = spec::parseManifest(m, (dir_ / "m.json").string(), s);
    verify::VerifyOptions o;
    o.solver.timeoutMs = 20000;
    return verify::verify(s, man, o);
  }

  fs::path dir_;
};

// Sub-group 0 reverses its slots twice through __local memory, ordered by
// sub_group_barriers alone, while sub-group 1 already waits at the
// work-group barrier: no divergence, no race.
const char *kReverseTwice = R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *x, __global float *y, const int n) {
  __local float t[8];
  int g = get_global_id(0), l = get_local_id(0);
  uint sl = get_sub_group_local_id();
  float v = x[g];
  if (get_sub_group_id() == 0) {
    t[l] = v;
    sub_group_barrier(CLK_LOCAL_MEM_FENCE);
    v = t[3 - sl];
    @MIDDLE@
    t[l] = v;
    sub_group_barrier(CLK_LOCAL_MEM_FENCE);
    v = t[3 - sl];
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  y[g] = v < 0.0f ? 0.0f : v;
}
)";

std::string withMiddle(const std::string &middle) {
  std::string s = kReverseTwice;
  s.replace(s.find("@MIDDLE@"), 8, middle);
  return s;
}

TEST_F(SubGroupTest, SubGroupsPassDifferentSubGroupBarriers) {
  verify::Verdict v =
      relu(withMiddle("sub_group_barrier(CLK_LOCAL_MEM_FENCE);"), 8, 4);
  EXPECT_EQ(v.outcome, verify::Outcome::Proved) << v.toText();
  ASSERT_TRUE(v.assumptions.contains("abstractions"));
  EXPECT_NE(
      v.assumptions["abstractions"].dump().find("sub-groups of 4 work-items"),
      std::string::npos)
      << v.assumptions.dump();
}

// The write of the second round and the read of the first, by two
// work-items of one sub-group, with no sub_group_barrier between them.
TEST_F(SubGroupTest, MissingSubGroupBarrierIsARace) {
  verify::Verdict v = relu(withMiddle(""), 8, 4);
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  EXPECT_EQ(v.counterexample->obligation, "data-race");
  EXPECT_NE(v.counterexample->detail.find("same sub-group"), std::string::npos)
      << v.counterexample->detail;
}

// A sub_group_barrier without CLK_LOCAL_MEM_FENCE does not order __local
// memory.
TEST_F(SubGroupTest, SubGroupBarrierWithoutFenceIsARace) {
  verify::Verdict v =
      relu(withMiddle("sub_group_barrier(CLK_GLOBAL_MEM_FENCE);"), 8, 4);
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  EXPECT_EQ(v.counterexample->obligation, "data-race");
}

TEST_F(SubGroupTest, UndeclaredSizeIsUnknown) {
  verify::Verdict v =
      relu(withMiddle("sub_group_barrier(CLK_LOCAL_MEM_FENCE);"), 8, 0);
  EXPECT_EQ(v.outcome, verify::Outcome::Unknown) << v.toText();
  EXPECT_EQ(v.unknownKind, "unsupported");
  EXPECT_NE(v.reason.find("\"sub_group_size\""), std::string::npos) << v.reason;
}

// One sub-group returns, the other waits at a work-group barrier.
TEST_F(SubGroupTest, SubGroupReturningBeforeBarrierDiverges) {
  verify::Verdict v = relu(R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *x, __global float *y, const int n) {
  int g = get_global_id(0);
  float v = x[g];
  y[g] = v < 0.0f ? 0.0f : v;
  if (get_sub_group_id() == 1)
    return;
  barrier(CLK_GLOBAL_MEM_FENCE);
}
)",
                           8, 4);
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  EXPECT_EQ(v.counterexample->obligation, "barrier-divergence");
}

// Ids and sizes with a smaller last sub-group (8 = 3 + 3 + 2), all checked
// by the guard (a wrong value leaves an element unwritten).
TEST_F(SubGroupTest, IdsAndSizesWithSmallerLastSubGroup) {
  verify::Verdict v = relu(R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *x, __global float *y, const int n) {
  int g = get_global_id(0), l = get_local_id(0);
  uint sg = get_sub_group_id(), sl = get_sub_group_local_id();
  bool ok = sg == l / 3 && sl == l % 3 &&
            get_sub_group_size() == (sg == 2 ? 2 : 3) &&
            get_max_sub_group_size() == 3 && get_num_sub_groups() == 3;
  float v = x[g];
  if (ok)
    y[g] = v < 0.0f ? 0.0f : v;
}
)",
                           8, 3);
  EXPECT_EQ(v.outcome, verify::Outcome::Proved) << v.toText();
}

TEST_F(SubGroupTest, BroadcastIdMustBeUniformAndInRange) {
  const char *src = R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *x, __global float *y, const int n) {
  int g = get_global_id(0);
  float v = sub_group_broadcast(x[g], @ID@);
  y[g] = v < 0.0f ? 0.0f : v;
}
)";
  for (const char *id : {"get_sub_group_local_id()", "4u"}) {
    std::string s = src;
    s.replace(s.find("@ID@"), 4, id);
    verify::Verdict v = relu(s, 8, 4);
    ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << id << v.toText();
    EXPECT_EQ(v.counterexample->obligation, "undefined-behaviour") << id;
  }
}

// Broadcasting every slot in turn (a uniform id) is exact: y[g] reads the
// slot of its own sub-group local id.
TEST_F(SubGroupTest, BroadcastOfEachSlotIsExact) {
  verify::Verdict v = relu(R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *x, __global float *y, const int n) {
  int g = get_global_id(0);
  float mine = x[g], v = 0.0f;
  for (uint j = 0; j < get_sub_group_size(); ++j) {
    float b = sub_group_broadcast(mine, j);
    if (j == get_sub_group_local_id())
      v = b;
  }
  y[g] = v < 0.0f ? 0.0f : v;
}
)",
                           8, 4);
  EXPECT_EQ(v.outcome, verify::Outcome::Proved) << v.toText();
}

// sub_group_all returns some non-zero value, not necessarily 1.
TEST_F(SubGroupTest, AllReturnsSomeNonZeroValue) {
  verify::Verdict v = relu(R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *x, __global float *y, const int n) {
  int g = get_global_id(0);
  float v = x[g];
  y[g] = (v < 0.0f ? 0.0f : v) * (float)sub_group_all(1);
}
)",
                           8, 4);
  EXPECT_NE(v.outcome, verify::Outcome::Proved) << v.toText();
}

// ... but used as a truth value it is exact.
TEST_F(SubGroupTest, AnyAndAllAsConditionsAreExact) {
  verify::Verdict v = relu(R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *x, __global float *y, const int n) {
  int g = get_global_id(0);
  float v = x[g];
  bool ok = sub_group_all(get_sub_group_local_id() < 4) &&
            !sub_group_any(get_sub_group_local_id() == 7);
  if (ok)
    y[g] = v < 0.0f ? 0.0f : v;
}
)",
                           8, 4);
  EXPECT_EQ(v.outcome, verify::Outcome::Proved) << v.toText();
}

const char *kPairSum = R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *a, __global const float *b,
                __global const float *c, __global float *y, const int n) {
  int g = get_global_id(0), i = g / 2;
  float v = g % 2 ? b[i] : a[i];
  float s = @OP@(v);
  if (get_sub_group_local_id() == @LAST@)
    y[i] = s;
}
)";

std::string pairSum(const char *op, const char *last) {
  std::string s = kPairSum;
  s.replace(s.find("@OP@"), 4, op);
  s.replace(s.find("@LAST@"), 6, last);
  return s;
}

// Two float terms: the order does not matter, the result is exact up to
// the sign of a zero sum (an implementation may start from +0).
TEST_F(SubGroupTest, FloatSumOfTwoIsExactUpToZeroSign) {
  for (const char *op :
       {"sub_group_reduce_add", "sub_group_scan_inclusive_add"}) {
    verify::Verdict v = sum(pairSum(op, "1"), false);
    EXPECT_EQ(v.outcome, verify::Outcome::Proved) << op << v.toText();
  }
  verify::Verdict v = sum(pairSum("sub_group_reduce_add", "0"), false, false);
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  EXPECT_TRUE(v.counterexample->dependsOnImplementationChoice);
}

// Three float terms: added in an order the implementation chooses.
TEST_F(SubGroupTest, FloatSumOfThreeIsAnApproximation) {
  verify::Verdict v = sum(R"(
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void k(__global const float *a, __global const float *b,
                __global const float *c, __global float *y, const int n) {
  int g = get_global_id(0), i = g / 3, r = g % 3;
  float s = sub_group_reduce_add(r == 0 ? a[i] : r == 1 ? b[i] : c[i]);
  if (r == 0)
    y[i] = s;
}
)",
                          true);
  EXPECT_EQ(v.outcome, verify::Outcome::Unknown) << v.toText();
  EXPECT_EQ(v.unknownKind, "approximation") << v.reason;
}

} // namespace
