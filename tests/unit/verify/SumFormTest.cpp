// The summation form's bound arithmetic (verify/numerics/SumForm.h): every
// order of a correct sum fits sum_rtol >= 2 gamma_n, a dropped, repeated or
// mis-weighted term does not fit any sum_rtol < 1 (its weight), the bound
// holds on random float32 evaluations, and overflow over the box is
// refused.
#include "verify/numerics/SumForm.h"

#include "solver/Solver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

using ksynth::smt::Expr;
using ksynth::verify::Box;
using ksynth::verify::SumForm;
using ksynth::verify::SumTerms;

namespace {

Expr in(const std::string &name) {
  return Expr::fpFromBits(Expr::bvVar(name, 32));
}

std::vector<Expr> inputs(int n) {
  std::vector<Expr> x;
  for (int i = 0; i < n; ++i)
    x.push_back(in("x[" + std::to_string(i) + "]"));
  return x;
}

// The reference: +0 + x0 + x1 + ... (a left fold).
Expr leftFold(const std::vector<Expr> &x) {
  Expr acc = Expr::fpVal(0.0f);
  for (const Expr &t : x)
    acc = acc.fadd(t);
  return acc;
}

Expr tree(const std::vector<Expr> &x, size_t lo, size_t hi) {
  if (hi - lo == 1)
    return x[lo];
  size_t mid = lo + (hi - lo) / 2;
  return tree(x, lo, mid).fadd(tree(x, mid, hi));
}

SumForm boxed(double r) {
  return SumForm([r](const std::string &) { return Box{-r, r}; });
}

double gamma(int k) {
  double u = 0x1p-24;
  return k * u / (1 - k * u);
}

TEST(SumForm, EveryOrderOfACorrectSumFits) {
  const int n = 16;
  std::vector<Expr> x = inputs(n);
  Expr f = leftFold(x);
  std::vector<Expr> rev(x.rbegin(), x.rend());
  // Blocked in four lanes of four, then the lanes pairwise.
  std::vector<Expr> lanes;
  for (int l = 0; l < 4; ++l) {
    Expr acc = Expr::fpVal(0.0f);
    for (int j = l; j < n; j += 4)
      acc = acc.fadd(x[j]);
    lanes.push_back(acc);
  }
  Expr blocked = lanes[0].fadd(lanes[1]).fadd(lanes[2].fadd(lanes[3]));
  for (const Expr &c : {tree(x, 0, n), leftFold(rev), blocked}) {
    SumForm sf = boxed(10);
    auto tc = sf.analyse(c), tf = sf.analyse(f);
    ASSERT_TRUE(tc && tf) << sf.why();
    std::string why;
    EXPECT_TRUE(sf.fits(*tc, *tf, 0, 2 * gamma(n), why)) << why;
    // Not by a wide margin: half of the reference's own gamma is too
    // little.
    EXPECT_FALSE(sf.fits(*tc, *tf, 0, gamma(n - 1) / 2, why));
  }
}

TEST(SumForm, DroppedRepeatedOrMisweightedTermDoesNotFit) {
  const int n = 8;
  std::vector<Expr> x = inputs(n);
  Expr f = leftFold(x);
  std::vector<Expr> dropped(x.begin(), x.end() - 1);
  std::vector<Expr> repeated = x;
  repeated.push_back(x[3]);
  Expr misweighted = tree(x, 0, 4).fadd(tree(x, 4, n).fmul(Expr::fpVal(0.5f)));
  for (const Expr &c :
       {tree(dropped, 0, n - 1), tree(repeated, 0, n + 1), misweighted}) {
    SumForm sf = boxed(10);
    auto tc = sf.analyse(c), tf = sf.analyse(f);
    ASSERT_TRUE(tc && tf) << sf.why();
    std::string why;
    EXPECT_FALSE(sf.fits(*tc, *tf, 1e-3, 0.4, why));
    EXPECT_NE(why.find("sum_rtol"), std::string::npos) << why;
  }
}

TEST(SumForm, MeanAndProductsNeedAnAtolForUnderflowOnly) {
  // A mean (sum / n) against the candidate's sum * (1/n as a float), and
  // a dot product (matmul's terms a_k * b_k) in a tree order.
  std::vector<Expr> x = inputs(6), b;
  for (int i = 0; i < 6; ++i)
    b.push_back(in("b[" + std::to_string(i) + "]"));
  Expr mean = leftFold(x).fdiv(Expr::fpVal(6.0f));
  Expr cand = tree(x, 0, 6).fmul(Expr::fpVal(1.0f / 6.0f));
  std::vector<Expr> prods;
  for (int i = 0; i < 6; ++i)
    prods.push_back(x[i].fmul(b[i]));
  Expr dot = leftFold(prods), dotTree = tree(prods, 0, 6);
  for (auto [c, f] : {std::pair{cand, mean}, std::pair{dotTree, dot}}) {
    SumForm sf = boxed(4);
    auto tc = sf.analyse(c), tf = sf.analyse(f);
    ASSERT_TRUE(tc && tf) << sf.why();
    std::string why;
    EXPECT_FALSE(sf.fits(*tc, *tf, 0, 1e-5, why)) << "underflow needs atol";
    EXPECT_TRUE(sf.fits(*tc, *tf, 1e-30, 1e-5, why)) << why;
  }
}

TEST(SumForm, OverflowOverTheBoxIsNotApplicable) {
  std::vector<Expr> x = inputs(4);
  SumForm sf = boxed(1e38);
  EXPECT_FALSE(sf.analyse(tree(x, 0, 4)));
  EXPECT_NE(sf.why().find("overflow"), std::string::npos) << sf.why();
}

// The polynomial bound against concrete float32 evaluation.
TEST(SumForm, BoundHoldsOnRandomInputs) {
  const int n = 12;
  std::vector<Expr> x = inputs(n);
  SumForm sf = boxed(100);
  Expr c = tree(x, 0, n);
  auto tc = sf.analyse(c);
  ASSERT_TRUE(tc);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-100, 100);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<float> v(n);
    for (float &e : v)
      e = trial % 2 ? u(rng) : std::ldexp(u(rng), -(trial % 40));
    // The same tree in float32.
    std::function<float(size_t, size_t)> ev = [&](size_t lo, size_t hi) {
      if (hi - lo == 1)
        return v[lo];
      size_t mid = lo + (hi - lo) / 2;
      return ev(lo, mid) + ev(mid, hi);
    };
    float got = ev(0, n);
    long double exact = 0;
    for (float e : v)
      exact += e;
    long double bound = 0;
    for (const auto &[m, e] : tc->err) {
      long double t = e;
      for (const std::string &var : m)
        t *= std::fabs(v[std::stoi(var.substr(2))]);
      bound += t;
    }
    EXPECT_LE(std::fabs(got - exact), bound) << trial;
    // And not vacuous: within the tree's depth (4 levels, + the leaves'
    // rounding model) times u of sum |x|.
    long double sumAbs = 0;
    for (float e : v)
      sumAbs += std::fabs(e);
    EXPECT_LE(bound, 5 * 0x1p-24 * sumAbs * (1 + 1e-6)) << trial;
  }
}

} // namespace
