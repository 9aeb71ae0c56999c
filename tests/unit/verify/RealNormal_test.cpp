// The real-arithmetic normal form (verify/numerics/RealNormal.h): identities
// that must hold, non-identities that must stay apart, and the exact folds of
// special values before the rounding level.
#include "verify/numerics/RealNormal.h"

#include "verify/numerics/Rounding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using ksynth::smt::Expr;
using ksynth::verify::Box;
using ksynth::verify::foldSpecialValues;
using ksynth::verify::Rational;
using ksynth::verify::RealNormal;
using ksynth::verify::Rounding;

namespace {

Expr v(const char *name) { return Expr::realVar(name); }
Expr k(int64_t n, int64_t d = 1) { return Expr::realVal(n, d); }
Expr rexp(const Expr &a) { return Expr::uf("r.exp", {a}); }
Expr rlog(const Expr &a) { return Expr::uf("r.log", {a}); }
Expr rsqrt(const Expr &a) { return Expr::uf("r.sqrt", {a}); }

bool same(const Expr &a, const Expr &b) { return RealNormal().identical(a, b); }

std::string printed(const Expr &a) {
  RealNormal n;
  auto p = n.normalize(a);
  EXPECT_TRUE(p.has_value()) << n.why();
  return p ? n.print(*p) : "";
}

} // namespace

TEST(RealNormal, RationalArithmeticIsExactAndReportsOverflow) {
  auto a = Rational::make(1, 3), b = Rational::make(1, 6);
  ASSERT_TRUE(a && b);
  auto s = a->add(*b);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->str(), "1/2");
  EXPECT_EQ(a->mul(*b)->str(), "1/18");
  EXPECT_EQ(Rational::make(4, -6)->str(), "-2/3");
  EXPECT_FALSE(Rational::make(1, 0));
  __int128 big = static_cast<__int128>(1) << 100;
  auto x = Rational::make(big, 1);
  ASSERT_TRUE(x);
  EXPECT_FALSE(x->mul(*x)); // 2^200: overflow is reported, never wrapped
}

TEST(RealNormal, FieldLawsAndCanonicalOrder) {
  Expr x = v("x"), y = v("y"), z = v("z");
  EXPECT_TRUE(same(x.radd(y).radd(z), z.radd(x.radd(y))));
  EXPECT_TRUE(same(x.radd(y).rmul(x.rsub(y)), x.rmul(x).rsub(y.rmul(y))));
  EXPECT_TRUE(same(x.rdiv(k(3)).radd(x.rdiv(k(6))), x.rmul(k(1, 2))));
  EXPECT_TRUE(same(x.rsub(x), k(0)));
  EXPECT_TRUE(same(x.rneg().rneg(), x));
  EXPECT_TRUE(same(x.rmul(y).rdiv(y), x)); // y != 0: the domain assumption
  EXPECT_EQ(printed(y.radd(x)), printed(x.radd(y)));
  EXPECT_FALSE(same(x.radd(y), x.rmul(y)));
  EXPECT_FALSE(same(x.rdiv(k(3)), x.rmul(Expr::realFromDouble(1.0f / 3))));
  EXPECT_FALSE(same(x.rmul(x), x));
}

TEST(RealNormal, ReciprocalsOfSumsAreAtoms) {
  Expr a = v("a"), b = v("b"), c = v("c");
  Expr s = a.radd(b);
  // 1/(a+b) is one atom: (c/(a+b)) * (a+b) is not simplified to c, but the
  // same quotient written differently is the same normal form.
  EXPECT_TRUE(same(c.rdiv(s), c.rmul(k(1).rdiv(b.radd(a)))));
  EXPECT_TRUE(same(k(1).rdiv(a.rmul(k(2)).radd(b.rmul(k(2)))),
                   k(1, 2).rmul(k(1).rdiv(s))));
  EXPECT_FALSE(same(k(1).rdiv(s), k(1).rdiv(a).radd(k(1).rdiv(b))));
  EXPECT_FALSE(same(k(1).rdiv(s), k(1).rdiv(a.rsub(b))));
  // Welford's mean after three steps is the plain mean.
  Expr x1 = v("x1"), x2 = v("x2"), x3 = v("x3");
  Expr m1 = x1;
  Expr m2 = m1.radd(x2.rsub(m1).rdiv(k(2)));
  Expr m3 = m2.radd(x3.rsub(m2).rdiv(k(3)));
  EXPECT_TRUE(same(m3, x1.radd(x2).radd(x3).rdiv(k(3))));
  // ... and M2 the sum of squared deviations.
  Expr q2 = x2.rsub(m1).rmul(x2.rsub(m2));
  Expr q3 = q2.radd(x3.rsub(m2).rmul(x3.rsub(m3)));
  Expr mean = x1.radd(x2).radd(x3).rdiv(k(3));
  auto sq = [&](const Expr &t) { return t.rsub(mean).rmul(t.rsub(mean)); };
  EXPECT_TRUE(same(q3, sq(x1).radd(sq(x2)).radd(sq(x3))));
  EXPECT_FALSE(same(q2, sq(x1).radd(sq(x2))));
}

TEST(RealNormal, ExponentialRules) {
  Expr a = v("a"), b = v("b"), m = v("m");
  EXPECT_TRUE(same(rexp(a).rmul(rexp(b)), rexp(a.radd(b))));
  EXPECT_TRUE(same(rexp(a.rsub(a)), k(1)));
  EXPECT_TRUE(same(k(1).rdiv(rexp(a)), rexp(a.rneg())));
  EXPECT_TRUE(same(rexp(a).rdiv(rexp(b)), rexp(a.rsub(b))));
  EXPECT_TRUE(same(rlog(rexp(a.radd(b))), b.radd(a)));
  EXPECT_TRUE(same(rexp(a).rmul(rexp(a)), rexp(a.rmul(k(2)))));
  // Online softmax's rescaling: (e^(x-m1)) * e^(m1-m2) + e^(y-m2).
  Expr m1 = v("m1"), m2 = v("m2"), x = v("x"), y = v("y");
  Expr s = rexp(x.rsub(m1)).rmul(rexp(m1.rsub(m2))).radd(rexp(y.rsub(m2)));
  EXPECT_TRUE(same(s, rexp(y.rsub(m2)).radd(rexp(x.rsub(m2)))));
  // Not identities.
  EXPECT_FALSE(same(rexp(a).radd(rexp(b)), rexp(a.radd(b))));
  EXPECT_FALSE(same(rexp(a).rmul(k(2)), rexp(a.rmul(k(2)))));
  EXPECT_FALSE(same(rexp(a.rmul(b)), rexp(a).rmul(rexp(b))));
  EXPECT_FALSE(same(rlog(a.rmul(b)), rlog(a).radd(rlog(b))));
  EXPECT_FALSE(same(rlog(rexp(a).radd(rexp(b))), a.radd(b)));
  EXPECT_FALSE(same(rexp(a.rsub(m)), rexp(a).rsub(rexp(m))));
  // Other functions are plain atoms of normalised arguments.
  EXPECT_TRUE(same(rsqrt(a.radd(b)), rsqrt(b.radd(a))));
  EXPECT_FALSE(same(rsqrt(a).rmul(rsqrt(a)), a));
  EXPECT_TRUE(same(k(1).rdiv(rsqrt(a)).rmul(rsqrt(a)), k(1)));
}

TEST(RealNormal, PrintingIsIndependentOfDiscoveryOrder) {
  Expr a = v("a"), b = v("b");
  RealNormal n1, n2;
  auto p1 = n1.normalize(rexp(a).radd(k(1).rdiv(a.radd(b))));
  n2.normalize(b); // a different atom numbering
  auto p2 = n2.normalize(k(1).rdiv(b.radd(a)).radd(rexp(a)));
  ASSERT_TRUE(p1 && p2);
  EXPECT_EQ(n1.print(*p1), n2.print(*p2));
}

TEST(RealNormal, ToExprIsTheSameRealFunction) {
  Expr a = v("a"), b = v("b");
  RealNormal n;
  auto p = n.normalize(rexp(a).rmul(rexp(b)).rdiv(a.radd(b)));
  ASSERT_TRUE(p);
  auto t = n.toExpr(*p);
  ASSERT_TRUE(t);
  auto q = n.normalize(*t);
  ASSERT_TRUE(q);
  EXPECT_EQ(n.print(*p), n.print(*q));
}

TEST(RealNormal, SizeLimitsGiveUp) {
  RealNormal::Limits l;
  l.monomials = 8;
  RealNormal n(l);
  Expr s = k(0);
  for (int i = 0; i < 4; ++i)
    s = s.radd(Expr::realVar("x" + std::to_string(i)));
  EXPECT_TRUE(n.normalize(s).has_value());
  EXPECT_FALSE(n.normalize(s.rmul(s)).has_value()); // 10 monomials
  EXPECT_FALSE(n.why().empty());
}

namespace {

Expr in(const char *name) { return Expr::fpFromBits(Expr::bvVar(name, 32)); }

Rounding boxed(double lo, double hi) {
  return Rounding([=](const std::string &) -> std::optional<Box> {
    return Box{lo, hi};
  });
}

// OpenCL's fmax as the executor builds it (NaN guards, then the order).
Expr fmaxOf(const Expr &x, const Expr &y) {
  return Expr::ite(
      x.isNaN(), y,
      Expr::ite(y.isNaN(), x,
                Expr::ite(x.fogt(y), x,
                          Expr::ite(x.folt(y), y,
                                    Expr::ite(Expr::boolVar("nd"), x, y)))));
}

} // namespace

TEST(RealNormal, SpecialValuesOfAnOnlineReductionFoldExactly) {
  Rounding r = boxed(-10, 10);
  Expr x = in("x");
  Expr ninf = Expr::fpVal(-std::numeric_limits<float>::infinity());
  Expr mn = fmaxOf(ninf, x);
  EXPECT_TRUE(foldSpecialValues(mn, r).same(x));
  Expr scale = Expr::uf("cl.exp", {ninf.fsub(mn)});
  EXPECT_TRUE(foldSpecialValues(scale, r).same(Expr::fpVal(0.0f)));
  EXPECT_TRUE(foldSpecialValues(x.fsub(mn), r).same(Expr::fpVal(0.0f)));
  // Not folded: the other operand may be infinite or NaN.
  Rounding unbounded(
      [](const std::string &) -> std::optional<Box> { return std::nullopt; });
  EXPECT_FALSE(foldSpecialValues(mn, unbounded).same(x));
  EXPECT_FALSE(foldSpecialValues(x.fsub(x), unbounded).same(Expr::fpVal(0.0f)));
  // +inf is not -inf: exp(+inf) stays.
  Expr pinf = Expr::fpVal(std::numeric_limits<float>::infinity());
  Expr up = Expr::uf("cl.exp", {pinf.fsub(x)});
  Expr f = foldSpecialValues(up, r);
  EXPECT_FALSE(f.same(Expr::fpVal(0.0f)));
  EXPECT_TRUE(f.same(Expr::uf("cl.exp", {pinf})));
}

namespace {

// Layer norm of one row of n inputs x0..x(n-1), as the fp32 terms the
// reference (two-pass) and a Welford kernel build; eps as a float.
struct Row {
  std::vector<Expr> x;
  explicit Row(int n) {
    for (int i = 0; i < n; ++i)
      x.push_back(in(("x" + std::to_string(i)).c_str()));
  }
  Expr f(float c) const { return Expr::fpVal(c); }
  Expr twoPass(int j, float eps) const {
    Expr n = f(static_cast<float>(x.size())), s = f(0);
    for (const Expr &t : x)
      s = s.fadd(t);
    Expr mean = s.fdiv(n), q = f(0);
    for (const Expr &t : x)
      q = q.fadd(t.fsub(mean).fmul(t.fsub(mean)));
    Expr rstd = f(1).fdiv(q.fdiv(n).fadd(f(eps)).fsqrt());
    return x[j].fsub(mean).fmul(rstd);
  }
  Expr welford(int j, float eps) const {
    Expr mean = f(0), m2 = f(0);
    for (size_t k = 0; k < x.size(); ++k) {
      Expr d = x[k].fsub(mean);
      mean = mean.fadd(d.fdiv(f(static_cast<float>(k + 1))));
      m2 = m2.fadd(d.fmul(x[k].fsub(mean)));
    }
    Expr n = f(static_cast<float>(x.size()));
    Expr rstd = f(1).fdiv(m2.fdiv(n).fadd(f(eps)).fsqrt());
    return x[j].fsub(mean).fmul(rstd);
  }
};

} // namespace

TEST(RealNormal, WelfordLayerNormIsTheTwoPassRealFunction) {
  Rounding r = boxed(-10, 10);
  Row row(13);
  for (int j : {0, 7, 12}) {
    auto c = r.toReal(row.welford(j, 1e-5f)),
         f = r.toReal(row.twoPass(j, 1e-5f));
    ASSERT_TRUE(c && f) << r.why();
    RealNormal n;
    EXPECT_TRUE(n.identical(*c, *f)) << n.why();
  }
  // eps left out, or a different eps: not the same function.
  auto c = r.toReal(row.welford(3, 0)), f = r.toReal(row.twoPass(3, 1e-5f));
  ASSERT_TRUE(c && f);
  EXPECT_FALSE(RealNormal().identical(*c, *f));
  auto c2 = r.toReal(row.welford(3, 1e-6f));
  ASSERT_TRUE(c2);
  EXPECT_FALSE(RealNormal().identical(*c2, *f));
}

TEST(RealNormal, AbsoluteValues) {
  Expr a = v("a"), b = v("b");
  auto absr = [](const Expr &t) {
    return Expr::ite(t.rlt(Expr::realVal(0)), t.rneg(), t); // as toReal
  };
  EXPECT_TRUE(
      same(absr(a.rsub(b)).rmul(absr(b.rsub(a))), a.rsub(b).rmul(a.rsub(b))));
  EXPECT_TRUE(
      same(absr(a.rmul(k(2)).rsub(b.rmul(k(2)))), absr(b.rsub(a)).rmul(k(2))));
  EXPECT_TRUE(same(absr(k(-3)), k(3)));
  // |d| * |e| with e = (1 - 1/K) d: Welford's increment.
  Expr d = a.rsub(b), e = a.rsub(b.radd(d.rdiv(k(4))));
  EXPECT_TRUE(same(absr(d).rmul(absr(e)), d.rmul(e)));
  // Not identities.
  EXPECT_FALSE(same(absr(a), a));
  EXPECT_FALSE(same(absr(a).rmul(absr(b)), a.rmul(b)));
  EXPECT_FALSE(same(absr(a.radd(b)), absr(a).radd(absr(b))));
  EXPECT_FALSE(same(absr(a).rmul(absr(a)).rmul(absr(a)), a.rmul(a).rmul(a)));
}

TEST(RealNormal, SolverTermIsNormalisedWithExpFacts) {
  Expr x = v("x"), m = v("m");
  Expr s = rexp(x.rsub(m)).rmul(rexp(m.rsub(x)));
  RealNormal::SolverTerm t = RealNormal::forSolver(s.radd(rexp(x)));
  RealNormal n;
  EXPECT_TRUE(n.identical(t.term, k(1).radd(rexp(x))));
  EXPECT_FALSE(t.facts.isTrue()); // exp(x) > 0, x = 0 -> exp(x) = 1
}

namespace {

// Welford's M2 increment as the executor builds it (fused: fma(d, e, m2)).
struct WelfordStep {
  Expr d, e, mean, m2;
  WelfordStep(const Expr &x, const Expr &mo, const Expr &m2o, float k,
              bool fused = true) {
    d = x.fsub(mo);
    mean = mo.fadd(d.fdiv(Expr::fpVal(k)));
    e = x.fsub(mean);
    m2 = fused ? d.fma(e, m2o) : m2o.fadd(d.fmul(e));
  }
};

} // namespace

TEST(RealNormal, WelfordIncrementIsKnownNonNegative) {
  Rounding r = boxed(-10, 10);
  Expr x1 = in("x1"), x2 = in("x2"), m2 = in("m2");
  for (bool fused : {true, false}) {
    WelfordStep s(x2, x1, m2, 2, fused);
    Expr f = foldSpecialValues(s.m2, r);
    Expr want = fused ? s.d.fabs().fma(s.e.fabs(), m2)
                      : m2.fadd(s.d.fabs().fmul(s.e.fabs()));
    EXPECT_TRUE(f.same(want)) << f.str();
  }
  // Not the pattern: k = 1 (mean_new = x up to rounding, e of any sign),
  // another x, OpenCL's approximate division.
  WelfordStep k1(x2, x1, m2, 1);
  EXPECT_FALSE(foldSpecialValues(k1.m2, r).str().find("fp.abs") !=
               std::string::npos);
  Expr x3 = in("x3");
  Expr d = x2.fsub(x1), e = x3.fsub(x1.fadd(d.fdiv(Expr::fpVal(2.0f))));
  EXPECT_TRUE(foldSpecialValues(d.fmul(e), r).same(d.fmul(e)));
  Expr q = Expr::uf("cl.div", {d, Expr::fpVal(2.0f)});
  Expr e2 = x2.fsub(x1.fadd(q));
  EXPECT_TRUE(foldSpecialValues(d.fmul(e2), r).same(d.fmul(e2)));
  // Unbounded inputs: nothing is known finite.
  Rounding unbounded(
      [](const std::string &) -> std::optional<Box> { return std::nullopt; });
  WelfordStep s(x2, x1, m2, 2);
  EXPECT_TRUE(foldSpecialValues(s.m2, unbounded).same(s.m2));
}

TEST(RealNormal, FoldedWelfordIsStillTheTwoPassRealFunction) {
  Rounding r = boxed(1000, 1001);
  Row row(13);
  Expr mean = Expr::fpVal(0), m2 = Expr::fpVal(0);
  for (size_t k = 0; k < row.x.size(); ++k) {
    WelfordStep s(row.x[k], mean, m2, static_cast<float>(k + 1));
    mean = s.mean;
    m2 = s.m2;
  }
  Expr rstd = Expr::fpVal(1).fdiv(
      m2.fdiv(Expr::fpVal(13)).fadd(Expr::fpVal(1.0f)).fsqrt());
  Expr c = foldSpecialValues(row.x[5].fsub(mean).fmul(rstd), r);
  EXPECT_NE(c.str().find("fp.abs"), std::string::npos);
  auto rc = r.toReal(c), rf = r.toReal(row.twoPass(5, 1.0f));
  ASSERT_TRUE(rc && rf) << r.why();
  RealNormal n;
  EXPECT_TRUE(n.identical(*rc, *rf)) << n.why();
  // ... and the rounding level can bound it: the variance is >= 0.
  EXPECT_TRUE(r.bound(c).has_value()) << r.why();
}
