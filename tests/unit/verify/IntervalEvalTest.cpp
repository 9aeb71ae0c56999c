// Concrete interval evaluation (verify/numerics/IntervalEval.h): IEEE special
// values, overflow of approximate functions, ulp widening, and the
// evaluation of terms as the executor builds them.
#include "verify/numerics/IntervalEval.h"

#include "support/Float.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <map>
#include <random>

using ksynth::bitsFloat;
using ksynth::floatBits;
using ksynth::smt::Expr;
using namespace ksynth::verify;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

Expr bitsVar(const char *name) { return Expr::bvVar(name, 32); }
Expr in(const Expr &bits) { return Expr::fpFromBits(bits); }

// Evaluates `e` with the named bit-vector variables set to these floats.
FloatSet at(const Expr &e, const std::map<std::string, float> &vals) {
  IntervalEval ev([&](const Expr &v) -> std::optional<uint64_t> {
    auto it = vals.find(v.varName());
    if (it == vals.end())
      return std::nullopt;
    return floatBits(it->second);
  });
  return ev.evalFloat(e);
}

bool isPoint(const FloatSet &s, float f) { return s.single() && s.contains(f); }

float ulpsAway(float f, int n) {
  for (int i = 0; i < std::abs(n); ++i)
    f = std::nextafter(f, n > 0 ? kInf : -kInf);
  return f;
}

} // namespace

TEST(IntervalEval, ExactOperationsOnSingleValuesAreBitExact) {
  EXPECT_TRUE(isPoint(setAdd(FloatSet::point(0.1f), FloatSet::point(0.2f)),
                      0.1f + 0.2f));
  EXPECT_TRUE(
      isPoint(setMul(FloatSet::point(3.0f), FloatSet::point(-0.0f)), -0.0f));
  EXPECT_FALSE(
      setMul(FloatSet::point(3.0f), FloatSet::point(-0.0f)).contains(0.0f));
  EXPECT_TRUE(
      isPoint(setFma(FloatSet::point(1.0f + 0x1p-23f),
                     FloatSet::point(1.0f - 0x1p-23f), FloatSet::point(-1.0f)),
              std::fma(1.0f + 0x1p-23f, 1.0f - 0x1p-23f, -1.0f)));
  EXPECT_TRUE(isPoint(setSqrt(FloatSet::point(-0.0f)), -0.0f));
  EXPECT_TRUE(isPoint(setAdd(FloatSet::point(1e-45f), FloatSet::point(0.0f)),
                      1e-45f)); // subnormals kept
}

TEST(IntervalEval, IeeeSpecialValues) {
  auto nanOnly = [](const FloatSet &s) { return s.nan && !s.hasNum; };
  FloatSet inf = FloatSet::point(kInf), zero = FloatSet::point(0.0f);
  EXPECT_TRUE(nanOnly(setDiv(inf, inf)));
  EXPECT_TRUE(nanOnly(setDiv(zero, zero)));
  EXPECT_TRUE(nanOnly(setSub(inf, inf)));
  EXPECT_TRUE(nanOnly(setMul(inf, zero)));
  EXPECT_TRUE(isPoint(setDiv(FloatSet::point(-1.0f), zero), -kInf));
  EXPECT_TRUE(isPoint(setDiv(FloatSet::point(5.0f), inf), 0.0f));
  EXPECT_TRUE(nanOnly(setSqrt(FloatSet::point(-1.0f))));
  // An approximate division follows IEEE on special operands.
  EXPECT_TRUE(nanOnly(approxDiv(inf, inf, 2.5)));
  EXPECT_TRUE(isPoint(approxDiv(FloatSet::point(2.0f), inf, 2.5), 0.0f));
  // OpenCL's special values of the ulp-bounded builtins.
  EXPECT_TRUE(approxFunction("cl.exp", FloatSet::point(-kInf))->contains(0.0f));
  EXPECT_FALSE(approxFunction("cl.exp", FloatSet::point(-kInf))->nan);
  EXPECT_TRUE(isPoint(*approxFunction("cl.exp", inf), kInf));
  EXPECT_TRUE(nanOnly(*approxFunction("cl.exp", FloatSet::nanOnly())));
  EXPECT_TRUE(isPoint(*approxFunction("cl.log", zero), -kInf));
  EXPECT_TRUE(
      isPoint(*approxFunction("cl.log", FloatSet::point(-0.0f)), -kInf));
  EXPECT_TRUE(nanOnly(*approxFunction("cl.log", FloatSet::point(-2.0f))));
  EXPECT_TRUE(nanOnly(*approxFunction("cl.sqrt", FloatSet::point(-2.0f))));
  EXPECT_TRUE(
      isPoint(*approxFunction("cl.log1p", FloatSet::point(-1.0f)), -kInf));
  FloatSet t = *approxFunction("cl.tanh", inf);
  EXPECT_TRUE(t.contains(1.0f) && !t.nan && t.hi < 1.01f);
  EXPECT_FALSE(approxFunction("cl.sin", zero).has_value());
}

TEST(IntervalEval, ExpOverflowsWhereverTheUlpBoundCannotReachFltMax) {
  // exp(100) = 2.7e43: every implementation within 3 ulp returns +inf.
  EXPECT_TRUE(
      isPoint(*approxFunction("cl.exp", FloatSet::point(100.0f)), kInf));
  EXPECT_TRUE(isPoint(*approxFunction("exp", FloatSet::point(89.0f)), kInf));
  // exp(88) = 1.65e38: finite for every implementation.
  FloatSet e88 = *approxFunction("cl.exp", FloatSet::point(88.0f));
  EXPECT_FALSE(e88.mayBeInf());
  EXPECT_TRUE(e88.contains(std::exp(88.0f)));
  // An exact value just above FLT_MAX: FLT_MAX (3 ulp away at most) and
  // +inf are both allowed.
  double above = static_cast<double>(FLT_MAX) + std::ldexp(1.0, 104);
  FloatSet edge = widenUlps(above, above, 3);
  EXPECT_TRUE(edge.contains(FLT_MAX));
  EXPECT_TRUE(edge.contains(kInf));
  // Far above: only +inf.
  EXPECT_TRUE(isPoint(widenUlps(1.01 * FLT_MAX, 1.01 * FLT_MAX, 3), kInf));
}

TEST(IntervalEval, UlpWidening) {
  float e = std::exp(1.0f); // correctly rounded here
  FloatSet cl = *approxFunction("cl.exp", FloatSet::point(1.0f));
  FloatSet ref = *approxFunction("exp", FloatSet::point(1.0f));
  for (int n = -3; n <= 3; ++n)
    EXPECT_TRUE(cl.contains(ulpsAway(e, n))) << n;
  for (int n = -2; n <= 2; ++n)
    EXPECT_TRUE(ref.contains(ulpsAway(e, n))) << n;
  // Not much wider than the bound (one ulp of slack for the exact value).
  EXPECT_FALSE(cl.contains(ulpsAway(e, 6)));
  EXPECT_FALSE(cl.contains(ulpsAway(e, -6)));
  EXPECT_FALSE(ref.contains(ulpsAway(e, 5)));
  EXPECT_FALSE(cl.single());
  EXPECT_FALSE(cl.nan);
  // 2.5 ulp division.
  FloatSet q = approxDiv(FloatSet::point(1.0f), FloatSet::point(3.0f), 2.5);
  EXPECT_TRUE(q.contains(ulpsAway(1.0f / 3.0f, 2)));
  EXPECT_TRUE(q.contains(ulpsAway(1.0f / 3.0f, -2)));
  EXPECT_FALSE(q.contains(ulpsAway(1.0f / 3.0f, 6)));
  // Results that may be subnormal may be flushed to zero.
  FloatSet tiny = *approxFunction("cl.exp", FloatSet::point(-100.0f));
  EXPECT_TRUE(tiny.contains(0.0f));
}

TEST(IntervalEval, IntervalArithmeticIsSound) {
  FloatSet a = FloatSet::range(-1.0f, 2.0f), b = FloatSet::range(-3.0f, 1.0f);
  FloatSet p = setMul(a, b);
  EXPECT_FLOAT_EQ(p.lo, -6.0f);
  EXPECT_FLOAT_EQ(p.hi, 3.0f);
  EXPECT_TRUE(p.contains(0.0f) && p.contains(-0.0f));
  FloatSet s = setAdd(FloatSet::range(1.0f, 2.0f), FloatSet::range(3.0f, 4.0f));
  EXPECT_TRUE(s.contains(4.0f) && s.contains(6.0f) && !s.contains(6.5f));
  // A divisor interval through zero: every quotient, and NaN from 0/0.
  FloatSet d =
      setDiv(FloatSet::range(-1.0f, 1.0f), FloatSet::range(-1.0f, 1.0f));
  EXPECT_TRUE(d.nan && d.contains(-kInf) && d.contains(kInf) &&
              d.contains(1e30f));
  // [big, +inf] / [big, +inf] holds every ratio and NaN (inf / inf).
  FloatSet big = FloatSet::range(1e38f, kInf);
  FloatSet r = setDiv(big, big);
  EXPECT_TRUE(r.nan && r.contains(0.0f) && r.contains(1.0f) &&
              r.contains(kInf));
}

TEST(IntervalEval, ToleranceComparison) {
  ksynth::spec::Tolerance exact, tol;
  tol.atol = 1e-5;
  tol.rtol = 1e-4;
  FloatSet one = FloatSet::point(1.0f);
  EXPECT_TRUE(mayMatch(tol, FloatSet::point(1.00005f), one));
  EXPECT_FALSE(mayMatch(tol, FloatSet::point(1.001f), one));
  EXPECT_FALSE(mayMatch(exact, FloatSet::point(1.00005f), one));
  EXPECT_TRUE(mayMatch(tol, FloatSet::nanOnly(), FloatSet::nanOnly()));
  EXPECT_FALSE(mayMatch(tol, FloatSet::nanOnly(), one));
  EXPECT_TRUE(mayMatch(tol, FloatSet::point(kInf), FloatSet::point(kInf)));
  EXPECT_FALSE(mayMatch(tol, FloatSet::point(kInf), FloatSet::point(FLT_MAX)));
  EXPECT_FALSE(mayMatch(exact, FloatSet::point(-0.0f), FloatSet::point(0.0f)));
  ksynth::spec::Tolerance zeros;
  zeros.ignoreZeroSign = true;
  EXPECT_TRUE(mayMatch(zeros, FloatSet::point(-0.0f), FloatSet::point(0.0f)));
  // A candidate interval reaching into the window matches.
  EXPECT_TRUE(mayMatch(tol, FloatSet::range(0.5f, 0.99999f), one));
}

TEST(IntervalEval, SoftmaxWithoutMaxSubtractionIsNaNAtOneHundred) {
  Expr xb = bitsVar("x[0]"), yb = bitsVar("x[1]");
  Expr ex = Expr::uf("cl.exp", {in(xb)}), ey = Expr::uf("cl.exp", {in(yb)});
  Expr y0 = ex.fdiv(ex.fadd(ey));
  FloatSet v = at(y0, {{"x[0]", 100.0f}, {"x[1]", 0.0f}});
  EXPECT_TRUE(v.nan && !v.hasNum) << v.str(); // inf / inf
  FloatSet w = at(ey.fdiv(ex.fadd(ey)), {{"x[0]", 100.0f}, {"x[1]", 0.0f}});
  EXPECT_TRUE(isPoint(w, 0.0f)) << w.str(); // finite / inf
  // At small inputs the result is an interval around the exact value.
  FloatSet u = at(y0, {{"x[0]", 1.0f}, {"x[1]", 0.0f}});
  EXPECT_FALSE(u.nan);
  EXPECT_TRUE(u.contains(0.7310586f)) << u.str();
  EXPECT_LT(u.hi - u.lo, 1e-5f);
}

TEST(IntervalEval, SigmoidAsExpOverOnePlusExpOverflows) {
  Expr xb = bitsVar("x");
  Expr e = Expr::uf("cl.exp", {in(xb)});
  Expr s = e.fdiv(Expr::fpVal(1.0f).fadd(e));
  FloatSet big = at(s, {{"x", 100.0f}});
  EXPECT_TRUE(big.nan && !big.hasNum) << big.str();
  FloatSet mid = at(s, {{"x", 0.0f}});
  EXPECT_TRUE(mid.contains(0.5f) && !mid.nan);
  // Through cl.div (2.5 ulp): still NaN.
  Expr s2 = Expr::uf("cl.div", {e, Expr::fpVal(1.0f).fadd(e)});
  EXPECT_TRUE(at(s2, {{"x", 100.0f}}).nan);
}

TEST(IntervalEval, BranchesComparisonsAndUnknowns) {
  Expr xb = bitsVar("x");
  Expr x = in(xb);
  Expr relu = Expr::ite(x.folt(Expr::fpVal(0.0f)), Expr::fpVal(0.0f), x);
  EXPECT_TRUE(isPoint(at(relu, {{"x", -3.0f}}), 0.0f));
  EXPECT_TRUE(isPoint(at(relu, {{"x", 2.5f}}), 2.5f));
  // A NaN input: x < 0 is false, so relu(NaN) = NaN.
  FloatSet n = at(relu, {{"x", std::nanf("")}});
  EXPECT_TRUE(n.nan && !n.hasNum);
  // A branch on an approximation joins both sides.
  Expr e = Expr::uf("cl.exp", {x});
  Expr br = Expr::ite(e.folt(Expr::fpVal(2.7182817f)), Expr::fpVal(1.0f),
                      Expr::fpVal(2.0f));
  FloatSet j = at(br, {{"x", 1.0f}});
  EXPECT_TRUE(j.contains(1.0f) && j.contains(2.0f));
  // approx# values (native_*, mad) are any value.
  Expr ap = Expr::fpFromBits(Expr::bvVar("approx#3", 32));
  EXPECT_TRUE(at(ap.fadd(x), {{"x", 1.0f}}).nan);
  // Conversions go through Z3's rewriter on numerals.
  Expr conv = x.fpToSBV(32);
  IntervalEval ev(
      [](const Expr &) -> std::optional<uint64_t> { return floatBits(3.75f); });
  IVal c = ev.eval(conv);
  ASSERT_TRUE(c.bits.has_value());
  EXPECT_EQ(*c.bits, 3u);
  // Out of range, SMT-LIB leaves the conversion unspecified: any value.
  IntervalEval big(
      [](const Expr &) -> std::optional<uint64_t> { return floatBits(1e10f); });
  EXPECT_FALSE(big.eval(conv).bits.has_value());
  IntervalEval nan(
      [](const Expr &) -> std::optional<uint64_t> { return 0x7fc00000u; });
  EXPECT_FALSE(nan.eval(conv).bits.has_value());
  EXPECT_FALSE(nan.eval(x.fpToBits()).bits.has_value() &&
               *nan.eval(x.fpToBits()).bits != 0x7fc00000u);
  // Reinterpreted bits of a single value are exact.
  IVal b = ev.eval(x.fpToBits());
  ASSERT_TRUE(b.bits.has_value());
  EXPECT_EQ(*b.bits, floatBits(3.75f));
}

TEST(IntervalEval, SetOperationsContainEveryMemberResult) {
  // Random intervals (special values included) and random members: the
  // IEEE result on the members lies in the set result.
  std::mt19937 rng(7);
  const float special[] = {0.0f,  -0.0f,   1.0f,     -1.0f,  kInf,
                           -kInf, FLT_MAX, -FLT_MAX, 1e-45f, -1e-45f,
                           3.0f,  1e30f,   -2.5f};
  auto draw = [&]() {
    if (rng() % 3 == 0)
      return special[rng() % (sizeof special / sizeof special[0])];
    return bitsFloat(static_cast<uint32_t>(rng()) & 0xff7fffffu) *
           (rng() % 2 ? 1.0f : 1e-30f);
  };
  auto makeSet = [&](float &member) {
    float a = draw(), b = draw();
    if (std::isnan(a) || std::isnan(b)) {
      member = std::nanf("");
      return FloatSet::nanOnly();
    }
    if (floatKey(b) < floatKey(a))
      std::swap(a, b);
    // a member between a and b in the total order
    int64_t ka = floatKey(a), kb = floatKey(b);
    int64_t k =
        ka + static_cast<int64_t>(rng() % static_cast<uint64_t>(kb - ka + 1));
    uint32_t bits = k < 0 ? static_cast<uint32_t>(-(k + 1)) | 0x80000000u
                          : static_cast<uint32_t>(k);
    member = bitsFloat(bits);
    return FloatSet::range(a, b);
  };
  for (int i = 0; i < 20000; ++i) {
    float x, y, z;
    FloatSet X = makeSet(x), Y = makeSet(y), Z = makeSet(z);
    ASSERT_TRUE(X.contains(x) && Y.contains(y) && Z.contains(z));
    EXPECT_TRUE(setAdd(X, Y).contains(x + y)) << x << " " << y;
    EXPECT_TRUE(setSub(X, Y).contains(x - y)) << x << " " << y;
    EXPECT_TRUE(setMul(X, Y).contains(x * y)) << x << " " << y;
    EXPECT_TRUE(setDiv(X, Y).contains(x / y)) << x << " " << y;
    EXPECT_TRUE(setFma(X, Y, Z).contains(std::fma(x, y, z)))
        << x << " " << y << " " << z;
    EXPECT_TRUE(setSqrt(X).contains(std::sqrt(x))) << x;
    EXPECT_TRUE(setNeg(X).contains(-x)) << x;
    EXPECT_TRUE(setAbs(X).contains(std::fabs(x))) << x;
    // The correctly rounded result is one an approximation may return.
    EXPECT_TRUE(approxDiv(X, Y, 2.5).contains(x / y)) << x << " " << y;
    EXPECT_TRUE(approxFunction("cl.exp", X)->contains(std::exp(x))) << x;
    EXPECT_TRUE(approxFunction("cl.log", X)->contains(std::log(x))) << x;
    EXPECT_TRUE(approxFunction("cl.tanh", X)->contains(std::tanh(x))) << x;
    EXPECT_TRUE(approxFunction("cl.sqrt", X)->contains(std::sqrt(x))) << x;
    EXPECT_TRUE(approxFunction("log1p", X)->contains(std::log1p(x))) << x;
    EXPECT_TRUE(approxFunction("expm1", X)->contains(std::expm1(x))) << x;
    EXPECT_TRUE(approxFunction("erf", X)->contains(std::erf(x))) << x;
  }
}

TEST(IntervalEval, AgreesWithZ3OnRandomExactTerms) {
  // Random terms of exact operations on single values: the evaluation is
  // one value, the one Z3's rewriter computes.
  std::mt19937 rng(11);
  const float vals[] = {0.0f, -0.0f,  1.0f,          -1.5f,  3.0f,
                        kInf, -kInf,  std::nanf(""), 1e-45f, FLT_MAX,
                        0.1f, -7.25f, 1e30f};
  std::vector<Expr> vars{bitsVar("a"), bitsVar("b"), bitsVar("c")};
  for (int round = 0; round < 300; ++round) {
    std::vector<Expr> pool;
    for (const Expr &v : vars)
      pool.push_back(in(v));
    pool.push_back(Expr::fpVal(2.0f));
    auto any = [&]() { return pool[rng() % pool.size()]; };
    for (int k = 0; k < 8; ++k) {
      Expr x = any(), y = any(), z = any(), t;
      switch (rng() % 12) {
      case 0:
        t = x.fadd(y);
        break;
      case 1:
        t = x.fsub(y);
        break;
      case 2:
        t = x.fmul(y);
        break;
      case 3:
        t = x.fdiv(y);
        break;
      case 4:
        t = x.fma(y, z);
        break;
      case 5:
        t = x.fsqrt();
        break;
      case 6:
        t = x.fneg();
        break;
      case 7:
        t = x.fabs();
        break;
      case 8:
        t = Expr::ite(x.folt(y), y, z);
        break;
      case 9:
        t = Expr::ite(x.fole(y) || x.isNaN(), x, z);
        break;
      case 10:
        t = Expr::ite(x.foeq(y) && !x.isZero(), y.fneg(), z);
        break;
      default:
        t = Expr::ite(x.isInf() || x.isNegative() || x.isSubnormal(), z,
                      Expr::fpFromBits(y.fpToBits()));
      }
      pool.push_back(t);
    }
    Expr term = pool.back();
    std::map<std::string, float> at3;
    std::vector<std::pair<Expr, Expr>> subst;
    for (const Expr &v : vars) {
      float f = vals[rng() % (sizeof vals / sizeof vals[0])];
      at3[v.varName()] = f;
      subst.emplace_back(v, Expr::bvVal(floatBits(f), 32));
    }
    FloatSet got = at(term, at3);
    auto want = term.substitute(subst).simplify().asFPBits();
    ASSERT_TRUE(want.has_value()) << term.str();
    ASSERT_TRUE(got.single()) << got.str() << " for " << term.str();
    float w = bitsFloat(*want);
    if (std::isnan(w))
      EXPECT_TRUE(got.nan) << term.str();
    else
      EXPECT_EQ(floatBits(got.lo), *want) << got.str() << " for " << term.str();
  }
}
