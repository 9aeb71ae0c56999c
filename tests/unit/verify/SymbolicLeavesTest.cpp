// Input leaves at one arbitrary work-item (verify/discharge/SymbolicLeaves.h):
// array reads become named variables that the rounding level reads as inputs
// with the spec's domain box, and tolerance / transcendental specs at
// deployment shapes through the symbolic work-item method.
#include "verify/discharge/SymbolicLeaves.h"
#include "verify/core/VarNames.h"

#include "solver/Solver.h"
#include "spec/Interpreter.h"
#include "support/Float.h"
#include "verify/Verifier.h"
#include "verify/core/DischargeUtil.h"
#include "verify/exec/Executor.h"
#include "verify/numerics/Rounding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace ksynth;
using json = nlohmann::json;
using smt::Expr;
using verify::Box;
using verify::Rounding;
namespace fs = std::filesystem;

namespace {

Expr readX(const Expr &index) {
  return Expr::fpFromBits(verify::inputArray("x", 32).select(index));
}

// The rounding level's box callback of the enumeration: by input name.
Rounding boxedByName(double lo, double hi) {
  return Rounding([=](const std::string &var) -> std::optional<Box> {
    if (verify::var::baseName(var) == "x")
      return Box{lo, hi};
    return std::nullopt;
  });
}

} // namespace

TEST(SymbolicLeaves, EqualReadsShareOneVariableDistinctReadsDoNot) {
  Expr g = Expr::bvVar("gid.0", 64);
  Expr one = Expr::bvVal(1, 64);
  // x[g] twice (the same term), x[0 + g] (the same after simplification)
  // and x[g + 1] (another element, or not: a second variable).
  Expr a = readX(g), b = readX(Expr::bvVal(0, 64).add(g)),
       c = readX(g.add(one));
  Expr t = a.fadd(b).fmul(c).fadd(a);
  verify::SymbolicLeaves l = verify::symbolicLeaves({t}, {"x"}, {});
  ASSERT_EQ(l.leaves.size(), 2u);
  EXPECT_EQ(l.leaves[0].var.varName(), "x[@0]");
  EXPECT_EQ(l.leaves[1].var.varName(), "x[@1]");
  Expr u = l.apply(t);
  EXPECT_TRUE(u.selects().empty());
  std::vector<Expr> vars = u.vars();
  ASSERT_EQ(vars.size(), 2u);
  // A sameIndex that proves x[g] and x[g + 1] equal (it may only say so
  // where that holds) merges them.
  verify::SymbolicLeaves m = verify::symbolicLeaves(
      {t}, {"x"}, {}, [](const Expr &, const Expr &) { return true; });
  EXPECT_EQ(m.leaves.size(), 1u);
  // Arrays not named are left alone; 0-d inputs are leaves as they are.
  Expr s = Expr::bvVar("alpha", 32);
  verify::SymbolicLeaves n =
      verify::symbolicLeaves({t.fmul(Expr::fpFromBits(s))}, {"w"}, {"alpha"});
  ASSERT_EQ(n.leaves.size(), 1u);
  EXPECT_TRUE(n.leaves[0].index.isNull());
  EXPECT_TRUE(n.leaves[0].var.same(s));
  EXPECT_TRUE(n.leafOfVar(s) != nullptr);
}

TEST(SymbolicLeaves, IndicesDifferingAtAPointAreTold) {
  Expr g = Expr::bvVar("gid.0", 64);
  Expr byteIndex = g.mul(Expr::bvVal(256, 64))
                       .add(Expr::bvVal(8, 64))
                       .udiv(Expr::bvVal(4, 64)); // (g*256 + 8) / 4
  Expr rowIndex = g.mul(Expr::bvVal(64, 64)).add(Expr::bvVal(2, 64));
  // Equal everywhere: never told apart.
  EXPECT_FALSE(verify::differAtSomePoint(byteIndex, rowIndex));
  // Off by one element: told apart.
  EXPECT_TRUE(verify::differAtSomePoint(
      byteIndex, g.mul(Expr::bvVal(64, 64)).add(Expr::bvVal(3, 64))));
  // A gather index (an array read) is not evaluated: not told apart.
  Expr gather = verify::inputArray("idx", 64).select(g);
  EXPECT_FALSE(verify::differAtSomePoint(gather, rowIndex));
}

TEST(SymbolicLeaves, SelectBasedTermHasTheKnownBound) {
  Expr g = Expr::bvVar("gid.0", 64);
  // 2 * x[g] over x in [-3, 3]: exact, ideal value in [-6, 6]; an
  // unrecognised select is not an input.
  Expr twice = Expr::fpVal(2.0f).fmul(readX(g));
  {
    Rounding r = boxedByName(-3, 3);
    EXPECT_FALSE(r.bound(twice).has_value());
  }
  verify::SymbolicLeaves l = verify::symbolicLeaves({twice}, {"x"}, {});
  Rounding r = boxedByName(-3, 3);
  std::optional<verify::ErrorBound> b = r.bound(l.apply(twice));
  ASSERT_TRUE(b) << r.why();
  EXPECT_EQ(b->lo, -6);
  EXPECT_EQ(b->hi, 6);
  EXPECT_EQ(b->err, 0);
  // 2 * x[g] + 1: ideal value in [-5, 7], one rounding of at most half an
  // ulp of 7 (2^-22).
  Expr t = twice.fadd(Expr::fpVal(1.0f));
  verify::SymbolicLeaves l1 = verify::symbolicLeaves({t}, {"x"}, {});
  Rounding r1 = boxedByName(-3, 3);
  std::optional<verify::ErrorBound> b1 = r1.bound(l1.apply(t));
  ASSERT_TRUE(b1) << r1.why();
  EXPECT_EQ(b1->lo, -5);
  EXPECT_EQ(b1->hi, 7);
  EXPECT_GT(b1->err, 0);
  EXPECT_LE(b1->err, 7 * std::ldexp(1.0, -24) * 1.01);
  // One rounding of x[g] * (1/3) with x[g] in [-3, 3]: |err| <= 2^-24 (the
  // product lies in [-1, 1]) plus the subnormal term.
  Expr third = readX(g).fmul(Expr::fpVal(1.0f / 3.0f));
  verify::SymbolicLeaves l3 = verify::symbolicLeaves({third}, {"x"}, {});
  Rounding r3 = boxedByName(-3, 3);
  std::optional<verify::ErrorBound> b3 = r3.bound(l3.apply(third));
  ASSERT_TRUE(b3) << r3.why();
  EXPECT_LE(b3->err, std::ldexp(1.0, -24) * 1.01 + 1e-40);
  EXPECT_GT(b3->err, 0);
  // Over the reals, x[g] + x[g] equals 2 * x[g] (one variable), while
  // x[g] + x[g + 1] does not equal 2 * x[g] (two variables).
  Expr one = Expr::bvVal(1, 64);
  for (int same = 0; same < 2; ++same) {
    Expr lhs = readX(g).fadd(same ? readX(g) : readX(g.add(one)));
    Expr rhs = Expr::fpVal(2.0f).fmul(readX(g));
    verify::SymbolicLeaves lv = verify::symbolicLeaves({lhs, rhs}, {"x"}, {});
    Rounding rr = boxedByName(-3, 3);
    auto a = rr.toReal(lv.apply(lhs)), c = rr.toReal(lv.apply(rhs));
    ASSERT_TRUE(a && c) << rr.why();
    auto s = smt::makeSolverStack({});
    auto q = s->check({{rr.realDomain(), !a->eq(*c)}, "t"});
    EXPECT_EQ(q.status, same ? smt::SatResult::Unsat : smt::SatResult::Sat);
  }
}

namespace {

class SymbolicToleranceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ksynth_symtol_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  verify::Verdict run(const std::string &op, const std::string &source,
                      int64_t n) {
    spec_ = spec::parseSpec(json::parse(R"({
      "inputs": { "x": { "dtype": "float32", "shape": ["N"] } },
      "ops": [ { "op": ")" + op + R"(", "inputs": ["x"], "output": "y" } ],
      "outputs": ["y"],
      "domain": { "x": { "range": [-20.0, 20.0] } },
      "tolerance": { "atol": 1e-05, "rtol": 0.0001 },
      "shapes": [ { "N": )" + std::to_string(n) +
                                        R"( } ] })"),
                            "spec.json");
    std::ofstream(dir_ / "k.cl") << source;
    json m = {{"source", "k.cl"},
              {"launches",
               {{{"kernel", "k"}, {"args", {"x", "y"}}, {"global", {"N"}}}}}};
    spec::Manifest man =
        spec::parseManifest(m, (dir_ / "m.json").string(), spec_);
    verify::VerifyOptions o;
    o.solver.timeoutMs = 20000;
    return verify::verify(spec_, man, o);
  }

  fs::path dir_;
  spec::Spec spec_;
};

} // namespace

TEST_F(SymbolicToleranceTest, SigmoidProvedUpToRoundingAtTwoToThe24) {
  verify::Verdict v = run("sigmoid", R"(
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  y[i] = 1.0f / (1.0f + exp(-x[i]));
})",
                          1 << 24);
  ASSERT_EQ(v.outcome, verify::Outcome::Proved) << v.toText();
  bool rounding = false;
  for (const verify::ObligationResult &r : v.obligations)
    if (r.name == "equivalence")
      rounding = r.level == "rounding";
  EXPECT_TRUE(rounding) << v.toText();
  EXPECT_NE(v.assumptions["work_items"]["N=16777216"].get<std::string>().find(
                "one arbitrary work-item"),
            std::string::npos);
}

TEST_F(SymbolicToleranceTest, SigmoidSizeCheatRefutedConcretely) {
  verify::Verdict v = run("sigmoid", R"(
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  if (get_global_size(0) > 100000)
    y[i] = x[i] * 0.5f;
  else
    y[i] = 1.0f / (1.0f + exp(-x[i]));
})",
                          1 << 20);
  ASSERT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
  const verify::Counterexample &cx = *v.counterexample;
  EXPECT_EQ(cx.obligation, "equivalence");
  EXPECT_TRUE(cx.confirmedByInterpreter);
  const verify::TensorBits &x = cx.inputs.at("x");
  EXPECT_TRUE(x.sparse);
  ASSERT_TRUE(cx.referenceBits && cx.candidateBits);
  // The candidate's value is x * 0.5 on the listed input; the reference
  // (the interpreter's sigmoid) is outside the tolerance of it.
  float in = bitsFloat(static_cast<uint32_t>(x.at(cx.flatIndex)));
  EXPECT_EQ(*cx.candidateBits, floatBits(in * 0.5f));
  float ref = 1.0f / (1.0f + std::exp(-in));
  EXPECT_GT(std::fabs(ref - in * 0.5f), 1e-5f + 1e-4f * std::fabs(ref));
  EXPECT_NEAR(bitsFloat(static_cast<uint32_t>(*cx.referenceBits)), ref, 1e-6);
}

TEST_F(SymbolicToleranceTest, WrongSignIsRefutedThroughTheApproximateExp) {
  // 1 / (1 + exp(x)) is sigmoid(-x): refuted through the approximate exp
  // (every value exp may return within 3 ulp), never proved.
  verify::Verdict v = run("sigmoid", R"(
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  y[i] = 1.0f / (1.0f + exp(x[i]));
})",
                          1 << 20);
  EXPECT_EQ(v.outcome, verify::Outcome::Refuted) << v.toText();
}
