// The rounding level's relative + absolute error rules
// (docs/rounding-level.md), each checked against concrete float32
// evaluation: for random inputs of the box, |computed - ideal| must lie
// within err and within abs + rel*|ideal|, and the ideal value within
// [lo, hi]. A rule that were wrong would show here as a violated bound.
#include "verify/numerics/Rounding.h"

#include "solver/Solver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <string>

using ksynth::smt::Expr;
using ksynth::verify::Box;
using ksynth::verify::ErrorBound;
using ksynth::verify::Rounding;
using Op = Expr::Op;

namespace {

Expr in(const char *name) { return Expr::fpFromBits(Expr::bvVar(name, 32)); }
Expr k(float f) { return Expr::fpVal(f); }

using Point = std::map<std::string, float>;

// The float32 value a term computes (transcendentals: glibc's float
// functions, within 1 ulp, inside every bound assumed here).
float computed(const Expr &e, const Point &p);
// Its ideal value, in long double (64-bit significand: far below the
// bounds checked).
long double ideal(const Expr &e, const Point &p);

bool condition(const Expr &c, const Point &p, bool real) {
  std::vector<Expr> a = c.args();
  auto val = [&](const Expr &x) {
    return real ? ideal(x, p) : static_cast<long double>(computed(x, p));
  };
  switch (c.op()) {
  case Op::FLt:
    return val(a[0]) < val(a[1]);
  case Op::FLe:
    return val(a[0]) <= val(a[1]);
  case Op::Not:
    return !condition(a[0], p, real);
  default:
    ADD_FAILURE() << "condition " << c.str();
    return false;
  }
}

float computed(const Expr &e, const Point &p) {
  std::vector<Expr> a = e.args();
  auto v = [&](int i) { return computed(a[i], p); };
  switch (e.op()) {
  case Op::FromBits:
    if (a[0].isConstVar())
      return p.at(a[0].varName());
    break;
  case Op::FPNum: {
    uint32_t bits = *e.asFPBits();
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  case Op::FAdd:
    return v(0) + v(1);
  case Op::FSub:
    return v(0) - v(1);
  case Op::FMul:
    return v(0) * v(1);
  case Op::FDiv:
    return v(0) / v(1);
  case Op::FMA:
    return std::fma(v(0), v(1), v(2));
  case Op::FNeg:
    return -v(0);
  case Op::FAbs:
    return std::fabs(v(0));
  case Op::FSqrt:
    return std::sqrt(v(0));
  case Op::Ite:
    return condition(a[0], p, false) ? v(1) : v(2);
  case Op::UF: {
    std::string n = e.ufName();
    if (n.rfind("cl.", 0) == 0)
      n = n.substr(3);
    float x = v(0);
    if (n == "exp")
      return std::exp(x);
    if (n == "expm1")
      return std::expm1(x);
    if (n == "log")
      return std::log(x);
    if (n == "log1p")
      return std::log1p(x);
    if (n == "tanh")
      return std::tanh(x);
    if (n == "erf")
      return std::erf(x);
    if (n == "div")
      return v(0) / v(1);
    break;
  }
  default:
    break;
  }
  ADD_FAILURE() << "computed " << e.str();
  return 0;
}

long double ideal(const Expr &e, const Point &p) {
  std::vector<Expr> a = e.args();
  auto v = [&](int i) { return ideal(a[i], p); };
  switch (e.op()) {
  case Op::FromBits:
  case Op::FPNum:
    return computed(e, p);
  case Op::FAdd:
    return v(0) + v(1);
  case Op::FSub:
    return v(0) - v(1);
  case Op::FMul:
    return v(0) * v(1);
  case Op::FDiv:
    return v(0) / v(1);
  case Op::FMA:
    return v(0) * v(1) + v(2);
  case Op::FNeg:
    return -v(0);
  case Op::FAbs:
    return std::fabs(v(0));
  case Op::FSqrt:
    return std::sqrt(v(0));
  case Op::Ite:
    return condition(a[0], p, true) ? v(1) : v(2);
  case Op::UF: {
    std::string n = e.ufName();
    if (n.rfind("cl.", 0) == 0)
      n = n.substr(3);
    long double x = v(0);
    if (n == "exp")
      return std::exp(x);
    if (n == "expm1")
      return std::expm1(x);
    if (n == "log")
      return std::log(x);
    if (n == "log1p")
      return std::log1p(x);
    if (n == "tanh")
      return std::tanh(x);
    if (n == "erf")
      return std::erf(x);
    if (n == "div")
      return v(0) / v(1);
    break;
  }
  default:
    break;
  }
  ADD_FAILURE() << "ideal " << e.str();
  return 0;
}

std::map<std::string, Box> gBoxes;

Rounding boxed(std::map<std::string, Box> boxes) {
  gBoxes = boxes;
  return Rounding([boxes](const std::string &n) -> std::optional<Box> {
    auto it = boxes.find(n);
    if (it == boxes.end())
      return std::nullopt;
    return it->second;
  });
}

// Checks the bound of `t` on random points of the boxes (and their
// corners); returns the largest observed |computed - ideal| / err.
double checkBound(Rounding &r, const Expr &t, int samples = 4000,
                  unsigned seed = 1) {
  std::optional<ErrorBound> b = r.bound(t);
  EXPECT_TRUE(b) << r.why();
  if (!b)
    return 0;
  std::mt19937 rng(seed);
  double worst = 0;
  for (int s = 0; s < samples; ++s) {
    Point p;
    int idx = 0;
    for (auto &[n, bx] : gBoxes) {
      float lo = static_cast<float>(bx.lo), hi = static_cast<float>(bx.hi);
      float x;
      if (s < 8)
        x = ((s >> idx++) & 1) ? hi : lo;
      else if (rng() % 8 == 0)
        x = std::ldexp(static_cast<float>(rng() % 1000) / 1000, -(rng() % 40)) *
            (rng() % 2 ? 1 : -1); // near 0
      else
        x = lo + (hi - lo) * std::uniform_real_distribution<float>(0, 1)(rng);
      p[n] = std::min(hi, std::max(lo, x));
    }
    float c = computed(t, p);
    long double y = ideal(t, p);
    long double d = std::fabs(static_cast<long double>(c) - y);
    long double slackLd = 1e-12L * (std::fabs(y) + 1e-30L);
    EXPECT_TRUE(std::isfinite(c));
    EXPECT_GE(y + slackLd, b->lo) << t.str();
    EXPECT_LE(y - slackLd, b->hi) << t.str();
    EXPECT_LE(d, b->err + slackLd) << "err at " << p.begin()->second;
    EXPECT_LE(d, b->abs + b->rel * std::fabs(y) + slackLd)
        << "abs/rel at " << p.begin()->second << " y=" << (double)y
        << " c=" << c;
    if (b->nonneg) {
      EXPECT_GE(c, 0.0f);
    }
    if (b->err > 0)
      worst = std::max(worst, static_cast<double>(d / b->err));
    if (::testing::Test::HasFailure())
      break;
  }
  return worst;
}

} // namespace

TEST(RoundingRules, MixedAndSameSignSums) {
  Rounding r = boxed({{"x", {-3, 3}}, {"y", {-3, 3}}, {"z", {0.5, 2}}});
  Expr x = in("x"), y = in("y"), z = in("z");
  checkBound(r, x.fmul(y).fadd(z.fmul(z)).fsub(x));
  checkBound(r, z.fadd(z.fmul(z)).fadd(z.fdiv(k(3))));
  // Same-sign operands keep a relative error.
  auto b = r.bound(z.fadd(z.fmul(z)).fadd(z.fdiv(k(3))));
  ASSERT_TRUE(b);
  EXPECT_LT(b->rel, 8 * std::ldexp(1.0, -24));
}

TEST(RoundingRules, OddPolynomialKeepsARelativeError) {
  // x + k*x^3 has x's sign everywhere: the sum keeps the relative error.
  Rounding r = boxed({{"x", {-10, 10}}});
  Expr x = in("x");
  Expr t = x.fadd(k(0.044715f).fmul(x.fmul(x).fmul(x)));
  checkBound(r, t);
  auto b = r.bound(t);
  ASSERT_TRUE(b);
  EXPECT_LT(b->rel, 6 * std::ldexp(1.0, -24));
  EXPECT_LT(b->abs, 1e-40);
  // The fused form too.
  checkBound(r, k(0.044715f).fma(x.fmul(x).fmul(x), x));
}

TEST(RoundingRules, SquaresAreNonNegativeAndSqrtOfTheirSumApplies) {
  Rounding r = boxed({{"x", {-2, 3}}, {"y", {-1, 1}}});
  Expr x = in("x"), y = in("y");
  auto sq = r.bound(x.fmul(x));
  ASSERT_TRUE(sq);
  EXPECT_EQ(sq->lo, 0);
  EXPECT_EQ(sq->hi, 9);
  EXPECT_TRUE(sq->nonneg);
  auto prod = r.bound(x.fmul(y));
  ASSERT_TRUE(prod);
  EXPECT_LT(prod->lo, 0);
  // sqrt(x^2 + y^2) can be sqrt(0): the relative error keeps it bounded.
  Expr norm = x.fma(x, y.fmul(y)).fsqrt();
  checkBound(r, norm);
  auto b = r.bound(norm);
  ASSERT_TRUE(b);
  EXPECT_LT(b->rel, 4 * std::ldexp(1.0, -24));
  EXPECT_LT(b->abs, 1e-20);
  // A difference of squares may be negative: sqrt of it is not applicable.
  Rounding r2 = boxed({{"x", {-2, 3}}, {"y", {-1, 1}}});
  EXPECT_FALSE(r2.bound(x.fmul(x).fsub(y.fmul(y)).fsqrt()));
}

TEST(RoundingRules, ExpIsRelativeAcrossMagnitudes) {
  Rounding r = boxed({{"x", {-10, 10}}});
  Expr x = in("x");
  Expr e = Expr::uf("exp", {x});
  checkBound(r, e);
  auto b = r.bound(e);
  ASSERT_TRUE(b);
  EXPECT_LT(b->rel, 3 * std::ldexp(1.0, -23));
  // Within 1e-5 + 1e-4|y| although exp(10) has an absolute error of 1e-3.
  EXPECT_GE(Rounding::toleranceSlack(*b, *b, 1e-5, 1e-4), 0);
  // exp of a rounded argument: x - m down to -200, relative near u/e.
  Rounding r2 = boxed({{"x", {-100, 100}}, {"m", {-100, 100}}});
  Expr m = in("m");
  Expr mx = Expr::ite(x.folt(m), m, x);
  Expr em = Expr::uf("cl.exp", {x.fsub(mx)});
  checkBound(r2, em);
  auto b2 = r2.bound(em);
  ASSERT_TRUE(b2);
  EXPECT_LT(b2->rel, 4 * std::ldexp(1.0, -23));
  EXPECT_LT(b2->abs, 1e-7);
}

TEST(RoundingRules, ExpRuleConstantHolds) {
  // exp(x) expm1(R|x|) <= R/((1-R)e) for x <= 0.
  for (double R : {1e-7, 1e-3, 0.1, 0.4})
    for (double x = -1000; x <= 0; x += 0.01)
      EXPECT_LE(std::exp(x) * std::expm1(-R * x),
                R / ((1 - R) * 2.718281) * (1 + 1e-12));
  // sup s sech^2(s) and sup s erf'(s) (the Lipschitz rules' constants).
  double t = 0, e = 0;
  for (double s = 0; s < 10; s += 1e-5) {
    t = std::max(t, s / (std::cosh(s) * std::cosh(s)));
    e = std::max(e, s * 1.1283791670955126 * std::exp(-s * s));
  }
  EXPECT_LT(t, 0.4478);
  EXPECT_LT(e, 0.4840);
}

TEST(RoundingRules, DivisionsSigmoidAndSilu) {
  Rounding r = boxed({{"x", {-10, 10}}});
  Expr x = in("x");
  Expr sig = k(1).fdiv(k(1).fadd(Expr::uf("cl.exp", {x.fneg()})));
  checkBound(r, sig);
  auto b = r.bound(sig);
  ASSERT_TRUE(b);
  EXPECT_LT(b->rel, 1e-6);
  Expr cdiv = Expr::uf("cl.div", {x, k(1).fadd(Expr::uf("exp", {x.fneg()}))});
  checkBound(r, cdiv);
  // silu on [-100, 100]: exp(100) overflows to +inf, x / inf = -0.
  Rounding r2 = boxed({{"x", {-100, 100}}});
  Expr silu = x.fdiv(k(1).fadd(Expr::uf("cl.exp", {x.fneg()})));
  checkBound(r2, silu);
  // ... but an overflow that reaches the result is not applicable.
  Rounding r3 = boxed({{"x", {-100, 100}}});
  EXPECT_FALSE(r3.bound(Expr::uf("cl.exp", {x})));
  EXPECT_NE(r3.why().find("overflow"), std::string::npos);
  Rounding r4 = boxed({{"x", {-100, 100}}});
  EXPECT_FALSE(r4.bound(Expr::uf("exp", {x}).fmul(k(2))));
  Rounding r5 = boxed({{"x", {-100, 100}}});
  EXPECT_FALSE(
      r5.bound(Expr::uf("exp", {x}).fdiv(k(1).fadd(Expr::uf("exp", {x})))));
}

TEST(RoundingRules, LogTanhErfSoftplusMish) {
  Rounding r = boxed({{"x", {-10, 10}}});
  Expr x = in("x");
  Expr sp = Expr::uf("cl.log1p", {Expr::uf("cl.exp", {x})});
  checkBound(r, sp);
  checkBound(r, x.fmul(Expr::uf("cl.tanh", {sp})));
  checkBound(r, Expr::uf("log", {k(1).fadd(x.fmul(x))}));
  Expr gelu = x.fmul(k(0.5f)).fmul(
      k(1).fadd(Expr::uf("cl.erf", {x.fmul(k(0.70710678f))})));
  checkBound(r, gelu);
  Expr inner = k(0.7978846f).fmul(k(0.044715f).fma(x.fmul(x).fmul(x), x));
  checkBound(r, k(0.5f).fmul(x).fmul(k(1).fadd(Expr::uf("tanh", {inner}))));
  checkBound(r, Expr::uf("expm1", {x.fmul(k(0.3f))}));
}

TEST(RoundingRules, ExactComparisonsArePiecewise) {
  Rounding r = boxed({{"x", {-100, 100}}});
  Expr x = in("x");
  // softplus: the exp branch overflows where it is not taken.
  Expr sp = Expr::ite(k(20).folt(x.fmul(k(1))), x,
                      Expr::uf("log1p", {Expr::uf("exp", {x})}));
  checkBound(r, sp);
  auto rs = r.toReal(sp);
  ASSERT_TRUE(rs) << r.why();
  Rounding e = boxed({{"x", {-10, 10}}});
  Expr elu =
      Expr::ite(x.folt(k(0)), Expr::uf("cl.expm1", {x}).fmul(k(0.5f)), x);
  checkBound(e, elu);
  // Paths merged as ite(c, a, ite(!c, b, stale)): the inner test is
  // decided within the outer branch.
  Expr stale = Expr::fpFromBits(Expr::bvVar("stale", 32));
  Expr merged =
      Expr::ite(x.folt(k(0)), x.fmul(k(3)), Expr::ite(!x.folt(k(0)), x, stale));
  ASSERT_TRUE(e.bound(merged)) << e.why();
  ASSERT_TRUE(e.toReal(merged)) << e.why();
}

TEST(RoundingRules, InexactComparisonsStayNotApplicable) {
  Rounding r = boxed({{"x", {-1, 1}}, {"y", {-1, 1}}});
  Expr x = in("x"), y = in("y");
  // x * 0.1f is rounded: its comparison may differ from the real one.
  Expr t = Expr::ite(x.fmul(k(0.1f)).folt(y), x, y.fmul(k(2)));
  EXPECT_FALSE(r.toReal(t));
  EXPECT_FALSE(r.bound(t));
  EXPECT_NE(r.why().find("exactly computed"), std::string::npos);
}

TEST(RoundingRules, ToleranceSlack) {
  ErrorBound c, f;
  c.lo = f.lo = 0;
  c.hi = f.hi = 100;
  c.abs = f.abs = 1e-6;
  c.rel = f.rel = 1e-5;
  c.err = f.err = 1e-3;
  double s = Rounding::toleranceSlack(c, f, 1e-5, 1e-4);
  EXPECT_GT(s, 0);
  EXPECT_LT(s, 1e-5);
  c.abs = f.abs = 6e-6; // 1.2e-5 at y = 0 exceeds atol
  EXPECT_LT(Rounding::toleranceSlack(c, f, 1e-5, 1e-4), 0);
  // The absolute form can cover where the relative one does not.
  c.err = f.err = 4e-6;
  EXPECT_GT(Rounding::toleranceSlack(c, f, 1e-5, 1e-4), 0);
}

TEST(RoundingRules, SharedSubtermsAreExactInputs) {
  Rounding r = boxed({{"x", {-10, 10}}, {"y", {-10, 10}}});
  Expr x = in("x"), y = in("y");
  Expr mean = x.fadd(y).fdiv(k(2));
  Expr d = x.fsub(mean);
  Expr c = d.fmul(k(1).fdiv(d.fma(d, k(1e-5f)).fsqrt()));
  Expr f = d.fmul(k(1).fdiv(d.fmul(d).fadd(k(1e-5f)).fsqrt()));
  std::vector<Expr> common = Rounding::commonSubterms(c, f);
  ASSERT_EQ(common.size(), 1u);
  EXPECT_TRUE(common[0].same(d));
  Rounding o = boxed({{"x", {-10, 10}}, {"y", {-10, 10}}});
  o.setOpaque({{d, Box{-10.5, 10.5}}});
  auto b = o.bound(f);
  ASSERT_TRUE(b) << o.why();
  EXPECT_LT(b->rel, 1e-6);
  auto rc = o.toReal(c), rf = o.toReal(f);
  ASSERT_TRUE(rc && rf);
  EXPECT_NE(o.realDomain().str().find("opaque:"), std::string::npos);
}

TEST(RoundingRules, MaxOfEqualRealLeavesIsOneVariable) {
  // max(fma(-t, x, 1), 0) and max(1 - t*x, 0): the leaves are different
  // float terms with the same ideal value.
  Rounding r = boxed({{"x", {-10, 10}}, {"t", {-1, 1}}});
  Expr x = in("x"), t = in("t");
  Expr hc = t.fneg().fma(x, k(1)), hf = k(1).fsub(t.fmul(x));
  Expr mc = Expr::ite(hc.folt(k(0)), k(0), hc);
  Expr mf = Expr::ite(k(0).folt(hf), hf, k(0));
  auto rc = r.toReal(mc), rf = r.toReal(mf);
  ASSERT_TRUE(rc && rf) << r.why();
  EXPECT_TRUE(rc->same(*rf));
  checkBound(r, mc.fadd(mf));
  // Different ideal leaves stay different variables.
  Expr mg = Expr::ite(k(0).folt(x), x, k(0));
  auto rg = r.toReal(mg);
  ASSERT_TRUE(rg);
  EXPECT_FALSE(rg->same(*rc));
}
