// Branches on integer inputs at the rounding level (docs/rounding-level.md,
// "case tables"): cross_entropy's selection ite(t == c, ...) and a gather's
// ite(offset == 4k, ...) are read as the leaf each value of t selects; the
// bound is the hull of the leaves, the ideal value a canonical ite over
// t == value that RealNormal reads as indicators. Checked against concrete
// evaluation at every value of t and random float inputs.
#include "verify/numerics/RealNormal.h"
#include "verify/numerics/Rounding.h"

#include "solver/Solver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>

using ksynth::smt::Expr;
using ksynth::verify::Box;
using ksynth::verify::ErrorBound;
using ksynth::verify::RealNormal;
using ksynth::verify::Rounding;

namespace {

Expr in(const std::string &name) {
  return Expr::fpFromBits(Expr::bvVar(name, 32));
}
Expr tvar() { return Expr::bvVar("t[0]", 64); }
Expr i64(int64_t v) { return Expr::bvVal(static_cast<uint64_t>(v), 64); }
// The executor's i1 condition form: (= (ite c #b1 #b0) #b1).
Expr i1(const Expr &c) {
  return Expr::ite(c, Expr::bvVal(1, 1), Expr::bvVal(0, 1))
      .eq(Expr::bvVal(1, 1));
}

constexpr int kC = 5; // classes: t in [0, 4]

Rounding rounding() {
  Rounding ra([](const std::string &v) -> std::optional<Box> {
    if (v.rfind("x", 0) == 0 || v.rfind("y", 0) == 0)
      return Box{-10, 10};
    return std::nullopt;
  });
  ra.setIntDomain(
      [](const std::string &v) -> std::optional<std::pair<int64_t, int64_t>> {
        if (v == "t[0]")
          return std::make_pair(int64_t{0}, int64_t{kC - 1});
        return std::nullopt;
      });
  return ra;
}

// The reference's selection: ite(t == C-1, v[C-1], ... ite(t == 0, v[0],
// NaN)), NaN for an index outside [0, C).
Expr referencePick(const std::vector<Expr> &v) {
  Expr picked = Expr::fpVal(std::numeric_limits<float>::quiet_NaN());
  for (int c = 0; c < kC; ++c)
    picked = Expr::ite(tvar().eq(i64(c)), v[c], picked);
  return picked;
}

// A gather's: the byte offset 4 * (3 + t) into a 12-element region, the
// last element where the offset is out of range.
Expr gather(const std::vector<Expr> &cells) {
  Expr off = tvar().add(i64(3)).mul(i64(4));
  Expr v = cells.back();
  for (int k = static_cast<int>(cells.size()) - 1; k-- > 0;)
    v = Expr::ite(i1(off.eq(i64(4 * k))), cells[k], v);
  return v;
}

std::vector<Expr> xs(int n) {
  std::vector<Expr> out;
  for (int i = 0; i < n; ++i)
    out.push_back(in("x" + std::to_string(i)));
  return out;
}

float floatOfBits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

// Every variable fixed: x_i (floats), y (a float), t (an integer).
std::vector<std::pair<Expr, Expr>> assignment(const std::vector<float> &x,
                                              float y, int64_t t) {
  std::vector<std::pair<Expr, Expr>> m;
  for (size_t i = 0; i < x.size(); ++i)
    m.push_back({Expr::bvVar("x" + std::to_string(i), 32),
                 Expr::bvVal(bitsOf(x[i]), 32)});
  m.push_back({Expr::bvVar("y", 32), Expr::bvVal(bitsOf(y), 32)});
  m.push_back({tvar(), i64(t)});
  return m;
}

// The float32 a term computes at the assignment (Z3's own evaluation).
float computedAt(const Expr &e, const std::vector<std::pair<Expr, Expr>> &m) {
  Expr v = e.substitute(m).simplify();
  std::optional<uint32_t> b = v.asFPBits();
  EXPECT_TRUE(b.has_value()) << v.str();
  return b ? floatOfBits(*b) : 0;
}

// The ideal value: the real term with the inputs as reals and t fixed.
double idealAt(const Expr &real, const std::vector<float> &x, float y,
               int64_t t) {
  std::vector<std::pair<Expr, Expr>> m;
  for (size_t i = 0; i < x.size(); ++i)
    m.push_back({Expr::realVar("real:x" + std::to_string(i)),
                 Expr::realFromDouble(x[i])});
  m.push_back({Expr::realVar("real:y"), Expr::realFromDouble(y)});
  m.push_back({tvar(), i64(t)});
  Expr v = real.substitute(m).simplify();
  // A rational numeral "p/q" or "(/ p q)": Z3's decimal text.
  std::string s = v.str();
  double num = 0, den = 1;
  if (std::sscanf(s.c_str(), "(/ %lf %lf)", &num, &den) == 2)
    return num / den;
  if (std::sscanf(s.c_str(), "(- (/ %lf %lf))", &num, &den) == 2)
    return -num / den;
  if (std::sscanf(s.c_str(), "(- %lf)", &num) == 1)
    return -num;
  EXPECT_EQ(std::sscanf(s.c_str(), "%lf", &num), 1) << s;
  return num;
}

} // namespace

TEST(RoundingCases, ReferenceSelectionAndGatherAreOneRealFunction) {
  // Reference: -(v_t - y) per class; candidate: -(cell_(3+t) - y) over a
  // 12-cell region, cells 3..7 being the reference's v_0..v_4.
  std::vector<Expr> x = xs(12);
  Expr y = in("y");
  std::vector<Expr> shifted;
  for (int c = 0; c < kC; ++c)
    shifted.push_back(x[3 + c].fsub(y));
  Expr ref = referencePick(shifted).fneg();
  Expr cand = gather(x).fsub(y).fneg();

  Rounding ra = rounding();
  auto rc = ra.toReal(cand), rf = ra.toReal(ref);
  ASSERT_TRUE(rc && rf) << ra.why();
  auto bc = ra.bound(cand), bf = ra.bound(ref);
  ASSERT_TRUE(bc && bf) << ra.why();
  // Distributes through the indicators: the same normal form.
  EXPECT_TRUE(RealNormal().identical(*rc, *rf));
  // The hull of the leaves reached (x3..x7 - y), not the NaN leaf.
  EXPECT_LE(bf->lo, -20.0);
  EXPECT_GE(bf->hi, 20.0);

  // Against concrete evaluation, at every t of the domain.
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<float> u(-10, 10);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<float> xv;
    for (int i = 0; i < 12; ++i)
      xv.push_back(trial % 3 == 0 ? std::round(u(rng)) : u(rng));
    float yv = u(rng);
    for (int64_t t = 0; t < kC; ++t) {
      auto m = assignment(xv, yv, t);
      for (int side = 0; side < 2; ++side) {
        const Expr &e = side ? ref : cand;
        const ErrorBound &b = side ? *bf : *bc;
        float got = computedAt(e, m);
        double id = idealAt(side ? *rf : *rc, xv, yv, t);
        ASSERT_TRUE(std::isfinite(got));
        EXPECT_LE(b.lo, id);
        EXPECT_GE(b.hi, id);
        double d = std::fabs(static_cast<double>(got) - id);
        EXPECT_LE(d, b.err) << "t=" << t;
        EXPECT_LE(d, b.abs + b.rel * std::fabs(id)) << "t=" << t;
        // Both sides select the same class.
        EXPECT_EQ(id, -(static_cast<double>(xv[3 + t]) - yv));
      }
    }
  }
}

TEST(RoundingCases, AWrongSelectionIsNotTheSameFunction) {
  std::vector<Expr> x = xs(12);
  std::vector<Expr> ref5(x.begin() + 3, x.begin() + 8);
  Expr ref = referencePick(ref5);
  // Off by one: cell 4 + t.
  std::vector<Expr> shifted(x.begin() + 1, x.end());
  shifted.push_back(x.back());
  Expr cand = gather(shifted);
  Rounding ra = rounding();
  auto rc = ra.toReal(cand), rf = ra.toReal(ref);
  ASSERT_TRUE(rc && rf) << ra.why();
  EXPECT_FALSE(RealNormal().identical(*rc, *rf));
}

TEST(RoundingCases, NotApplicableWithoutAnIntegerDomain) {
  std::vector<Expr> x = xs(12);
  std::vector<Expr> ref5(x.begin() + 3, x.begin() + 8);
  Rounding ra([](const std::string &) -> std::optional<Box> {
    return Box{-10, 10};
  });
  // No setIntDomain: t ranges over every int64 value, the NaN leaf with it.
  EXPECT_FALSE(ra.bound(referencePick(ref5)).has_value());
  // A condition on two integer inputs is not a case table either.
  Rounding rb = rounding();
  Expr t2 = Expr::bvVar("t[1]", 64);
  Expr two = Expr::ite(tvar().eq(t2), x[0], x[1]);
  EXPECT_FALSE(rb.toReal(two).has_value());
  EXPECT_FALSE(rb.bound(two).has_value());
}

TEST(RoundingCases, DecidedSelectionsAreTheirLeaf) {
  // ignore_index = -100 lies outside [0, 4]: always the other branch.
  std::vector<Expr> x = xs(12);
  Expr e = Expr::ite(tvar().eq(i64(-100)), Expr::fpVal(0.0f), x[2]);
  Rounding ra = rounding();
  auto r = ra.toReal(e);
  ASSERT_TRUE(r) << ra.why();
  EXPECT_TRUE(r->same(Expr::realVar("real:x2")));
  auto b = ra.bound(e);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->lo, -10);
  EXPECT_EQ(b->hi, 10);
  EXPECT_EQ(b->err, 0);
}

TEST(RealNormalIndicators, IdempotentExclusiveAndOrderFree) {
  Expr t = tvar();
  Expr a = Expr::realVar("a"), b = Expr::realVar("b"), c = Expr::realVar("c");
  Expr one = Expr::realVal(1), zero = Expr::realVal(0);
  Expr i2 = Expr::ite(t.eq(i64(2)), one, zero);
  Expr i2r = Expr::ite(i64(2).eq(t), one, zero); // (= k v): the same atom
  Expr i3 = Expr::ite(t.eq(i64(3)), one, zero);
  RealNormal n;
  EXPECT_TRUE(n.identical(i2.rmul(i2), i2));
  EXPECT_TRUE(n.identical(i2.rmul(i2r), i2));
  EXPECT_TRUE(n.identical(i2.rmul(i3), zero));
  EXPECT_FALSE(n.identical(i2, i3));
  // Indicators of different variables are independent.
  Expr u = Expr::bvVar("t[1]", 64);
  Expr j3 = Expr::ite(u.eq(i64(3)), one, zero);
  EXPECT_FALSE(n.identical(i2.rmul(j3), zero));
  // ite(v == k, a, b) + c distributes, and a chain whose last branch
  // collects the rest agrees with the branches summed.
  Expr chain = Expr::ite(t.eq(i64(0)), a.radd(c),
                         Expr::ite(t.eq(i64(1)), b.radd(c), c.radd(c)));
  Expr split =
      Expr::ite(t.eq(i64(0)), a, Expr::ite(t.eq(i64(1)), b, c)).radd(c);
  EXPECT_TRUE(n.identical(chain, split));
  EXPECT_FALSE(n.identical(
      chain,
      Expr::ite(t.eq(i64(1)), a, Expr::ite(t.eq(i64(0)), b, c)).radd(c)));
  // No inverse of an indicator (the term would be undefined where it is 0).
  RealNormal m;
  EXPECT_FALSE(m.normalize(one.rdiv(i2)).has_value());
}
