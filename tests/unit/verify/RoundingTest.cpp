// The "rounding" level's two halves: translation to reals and the forward
// error bound.
#include "verify/numerics/Rounding.h"

#include "solver/Solver.h"

#include <gtest/gtest.h>

#include <cmath>

using ksynth::smt::Expr;
using ksynth::verify::Box;
using ksynth::verify::Rounding;

namespace {

Expr in(const char *name) { return Expr::fpFromBits(Expr::bvVar(name, 32)); }

Rounding boxed(double lo, double hi) {
  return Rounding([=](const std::string &) -> std::optional<Box> {
    return Box{lo, hi};
  });
}

bool realEqual(Rounding &r, const Expr &a, const Expr &b) {
  auto ra = r.toReal(a), rb = r.toReal(b);
  EXPECT_TRUE(ra && rb) << r.why();
  auto s = ksynth::smt::makeSolverStack({});
  auto q = s->check({{r.realDomain(), !ra->eq(*rb)}, "t"});
  return q.status == ksynth::smt::SatResult::Unsat;
}

} // namespace

TEST(Rounding, ReassociatedSumIsEqualOverTheReals) {
  Expr x = in("x"), a = in("a"), b = in("b");
  Rounding r = boxed(-100, 100);
  EXPECT_TRUE(realEqual(r, x.fadd(a).fadd(b), x.fadd(a.fadd(b))));
  EXPECT_FALSE(realEqual(r, x.fadd(a).fadd(b), x.fadd(a).fmul(b)));
}

TEST(Rounding, SumErrorBoundIsTwoRoundings) {
  Expr x = in("x"), a = in("a"), b = in("b");
  Rounding r = boxed(-100, 100);
  auto e = r.bound(x.fadd(a).fadd(b));
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->lo, -300);
  EXPECT_DOUBLE_EQ(e->hi, 300);
  // u*200 for the first sum, u*(300 + that) for the second: about 500u.
  double u = std::ldexp(1.0, -24);
  EXPECT_GT(e->err, 499 * u);
  EXPECT_LT(e->err, 501 * u);
}

TEST(Rounding, ExactOperationsAddNoError) {
  Rounding r = boxed(-1, 1);
  auto e = r.bound(in("x").fneg().fabs());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->err, 0);
  EXPECT_EQ(e->lo, 0);
  EXPECT_EQ(e->hi, 1);
}

TEST(Rounding, ProductBoundCoversAMeasuredError) {
  // (x*y)*z against the exact product on one input: the real error must lie
  // within the bound.
  Rounding r = boxed(-3, 3);
  Expr t = in("x").fmul(in("y")).fmul(in("z"));
  auto e = r.bound(t);
  ASSERT_TRUE(e);
  float x = 2.9999f, y = 1.1f, z = -2.3f;
  double exact = static_cast<double>(x) * y * z;
  float computed = (x * y) * z;
  EXPECT_LE(std::fabs(computed - exact), e->err);
}

TEST(Rounding, OverflowAndZeroDivisorsAreNotApplicable) {
  Rounding big = boxed(-3e38, 3e38);
  EXPECT_FALSE(big.bound(in("x").fadd(in("y"))));
  EXPECT_NE(big.why().find("overflow"), std::string::npos);
  Rounding unit = boxed(-1, 1);
  EXPECT_FALSE(unit.bound(in("x").fdiv(in("y"))));
  EXPECT_NE(unit.why().find("divisor"), std::string::npos);
}

TEST(Rounding, MinMaxBranchesAreContinuous) {
  Rounding r = boxed(-1, 1);
  Expr x = in("x"), y = in("y");
  Expr relu = Expr::ite(x.folt(Expr::fpVal(0)), Expr::fpVal(0), x);
  auto b = r.bound(relu.fadd(y));
  ASSERT_TRUE(b) << r.why();
  EXPECT_EQ(b->lo, -1);
  EXPECT_EQ(b->hi, 2);
  // max(x, y) written both ways is the same real function.
  EXPECT_TRUE(
      realEqual(r, Expr::ite(x.folt(y), y, x), Expr::ite(y.fole(x), x, y)));
}

TEST(Rounding, DecidedConditionsPickTheirBranch) {
  Rounding r = boxed(1, 2);
  Expr x = in("x");
  // x is never NaN and never below 0 in [1, 2].
  Expr e = Expr::ite(x.isNaN(), x,
                     Expr::ite(x.folt(Expr::fpVal(0)), Expr::fpVal(0), x));
  auto b = r.bound(e);
  ASSERT_TRUE(b) << r.why();
  EXPECT_EQ(b->lo, 1);
  EXPECT_EQ(b->err, 0);
}

TEST(Rounding, TranscendentalsCarryTheirUlpBound) {
  Rounding r = boxed(-1, 1);
  Expr x = in("x");
  auto cl = r.bound(Expr::uf("cl.exp", {x}));
  auto ref = r.bound(Expr::uf("exp", {x}));
  ASSERT_TRUE(cl && ref) << r.why();
  EXPECT_NEAR(cl->hi, std::exp(1.0), 1e-9);
  // 3 ulp (OpenCL) against the reference's assumed 2 ulp.
  EXPECT_GT(cl->err, ref->err);
  EXPECT_LT(cl->err, 3 * std::exp(1.0) * std::ldexp(1.0, -23) * 1.001);
  EXPECT_TRUE(realEqual(r, Expr::uf("cl.exp", {x}), Expr::uf("exp", {x})));
  EXPECT_FALSE(r.bound(Expr::uf("cl.log", {x}))); // log of x <= 0
}

TEST(Rounding, BranchesAndUnboundedInputsAreNotApplicable) {
  Rounding r = boxed(-1, 1);
  Expr x = in("x");
  // x * 0.1f is rounded: comparing it is not the real comparison.
  Expr odd = Expr::ite(x.fmul(Expr::fpVal(0.1f)).folt(in("y")),
                       x.fmul(Expr::fpVal(2)), x);
  EXPECT_FALSE(r.toReal(odd));
  // x < 0 compares an input exactly: the same branch over the reals.
  Expr exact = Expr::ite(x.folt(Expr::fpVal(0)), x.fmul(Expr::fpVal(2)), x);
  EXPECT_TRUE(r.toReal(exact));
  Rounding none(
      [](const std::string &) -> std::optional<Box> { return std::nullopt; });
  EXPECT_FALSE(none.toReal(x));
}

TEST(Rounding, ConstantsAreExactReals) {
  Rounding r = boxed(-1, 1);
  Expr x = in("x");
  // x * 0.1f is not x / 10 over the reals: 0.1f is not 1/10.
  EXPECT_FALSE(
      realEqual(r, x.fmul(Expr::fpVal(0.1f)), x.fdiv(Expr::fpVal(10.0f))));
  EXPECT_TRUE(
      realEqual(r, x.fmul(Expr::fpVal(0.5f)), x.fdiv(Expr::fpVal(2.0f))));
}

TEST(Rounding, SqrtIsCorrectlyRoundedAndNeedsAPositiveArgument) {
  Rounding r = boxed(1, 4);
  Expr x = in("x");
  auto b = r.bound(x.fsqrt());
  ASSERT_TRUE(b) << r.why();
  EXPECT_NEAR(b->lo, 1, 1e-9);
  EXPECT_NEAR(b->hi, 2, 1e-9);
  EXPECT_LT(b->err, 2 * std::ldexp(1.0, -23)); // half an ulp of 2, and slack
  Rounding z = boxed(-1, 1);
  EXPECT_FALSE(z.bound(x.fsqrt())); // sqrt of a possibly negative value
}
