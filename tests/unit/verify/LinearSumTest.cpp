// The one-pass reading of long sums (verify/numerics/LinearSum.h): a tree
// of 16384 terms against the left fold fits the summation form at sum_rtol
// 1e-3 (not 1e-5: the fold alone may be off by gamma_16383) in well under
// a second, a dropped, repeated or halved term is named by
// misweightedLeaves, the error bound holds on random float32 evaluations,
// the reference's weights are M's, and an unbounded leaf or an overflow
// over the box is reported.
#include "verify/numerics/LinearSum.h"

#include "solver/Solver.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <vector>

using ksynth::smt::Expr;
using ksynth::verify::analyseLinearSum;
using ksynth::verify::fitsSumForm;
using ksynth::verify::LinearSum;
using ksynth::verify::misweightedLeaves;

namespace {

struct Leaves {
  std::vector<Expr> x;
  std::vector<Expr> bits;
  explicit Leaves(int n) {
    for (int i = 0; i < n; ++i) {
      bits.push_back(Expr::bvVar("x[" + std::to_string(i) + "]", 32));
      x.push_back(Expr::fpFromBits(bits.back()));
    }
  }
  std::function<std::optional<size_t>(const Expr &)> leaf() const {
    return [](const Expr &e) -> std::optional<size_t> {
      if (e.op() != Expr::Op::FromBits || !e.args()[0].isConstVar())
        return std::nullopt;
      std::string n = e.args()[0].varName();
      return static_cast<size_t>(std::stoul(n.substr(2)));
    };
  }
};

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

std::optional<LinearSum> read(const Leaves &l, const Expr &e, double box) {
  std::string why;
  return analyseLinearSum(
      e, l.leaf(), [box](size_t) { return box; }, why);
}

bool fits(const LinearSum &c, const LinearSum &f, double atol, double rtol,
          double box, std::string &why) {
  return fitsSumForm(
      c, f, atol, rtol, [box](size_t) { return box; },
      [](size_t j) { return "x[" + std::to_string(j) + "]"; }, why);
}

} // namespace

TEST(LinearSum, TreeOf16384TermsFitsTheLeftFoldQuickly) {
  const int n = 16384;
  Leaves l(n);
  auto t0 = std::chrono::steady_clock::now();
  auto f = read(l, leftFold(l.x), 1e30);
  auto c = read(l, tree(l.x, 0, n), 1e30);
  ASSERT_TRUE(c && f);
  EXPECT_TRUE(c->bounded && f->bounded);
  std::string why;
  EXPECT_TRUE(fits(*c, *f, 0, 1e-3, 1e30, why)) << why;
  EXPECT_FALSE(fits(*c, *f, 0, 1e-5, 1e30, why));
  EXPECT_NE(why.find("sum_rtol >= 0.00097"), std::string::npos) << why;
  EXPECT_TRUE(misweightedLeaves(*c, *f, 1e-5, 8).empty());
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_LT(s, 5.0);
}

TEST(LinearSum, DroppedRepeatedOrHalvedTermIsNamed) {
  const int n = 64;
  Leaves l(n);
  auto f = read(l, leftFold(l.x), 10);
  std::vector<Expr> dropped(l.x.begin(), l.x.end());
  dropped.erase(dropped.begin() + 17);
  std::vector<Expr> repeated = l.x;
  repeated.push_back(l.x[17]);
  std::vector<Expr> halved = l.x;
  halved[17] = halved[17].fmul(Expr::fpVal(0.5f));
  for (const auto &terms : {dropped, repeated, halved}) {
    auto c = read(l, tree(terms, 0, terms.size()), 10);
    ASSERT_TRUE(c && f);
    std::string why;
    EXPECT_FALSE(fits(*c, *f, 1e-3, 0.4, 10, why));
    std::vector<size_t> bad = misweightedLeaves(*c, *f, 1e-3, 8);
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0], 17u);
  }
}

TEST(LinearSum, MeanWeightsAreMsAndNeedAnAtolForUnderflow) {
  const int n = 37;
  Leaves l(n);
  Expr mean = leftFold(l.x).fdiv(Expr::fpVal(37.0f));
  Expr cand = tree(l.x, 0, n).fdiv(Expr::fpVal(37.0f));
  auto f = read(l, mean, 4), c = read(l, cand, 4);
  ASSERT_TRUE(c && f);
  for (size_t j = 0; j < n; ++j)
    EXPECT_NEAR(f->weight[j], 1.0 / 37, 1e-15);
  std::string why;
  EXPECT_FALSE(fits(*c, *f, 0, 1e-5, 4, why)) << "underflow needs atol";
  EXPECT_TRUE(fits(*c, *f, 1e-30, 1e-5, 4, why)) << why;
  // Divided by the wrong n: every coefficient mis-weighted.
  auto w = read(l, tree(l.x, 0, n).fdiv(Expr::fpVal(32.0f)), 4);
  EXPECT_EQ(misweightedLeaves(*w, *f, 1e-3, 100).size(), size_t(n));
}

TEST(LinearSum, UnboundedLeafOrOverflowIsNotBounded) {
  Leaves l(4);
  auto a = read(l, tree(l.x, 0, 4), HUGE_VAL);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->bounded);
  auto b = read(l, tree(l.x, 0, 4), 1e38);
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->bounded);
  EXPECT_NE(b->why.find("overflow"), std::string::npos) << b->why;
  std::string why;
  EXPECT_FALSE(analyseLinearSum(
      l.x[0].fmul(l.x[1]), l.leaf(), [](size_t) { return 1.0; }, why));
}

// The bound against concrete float32 evaluation of a blocked order.
TEST(LinearSum, BoundHoldsOnRandomInputs) {
  const int n = 96;
  Leaves l(n);
  std::vector<Expr> lanes;
  for (int k = 0; k < 4; ++k) {
    Expr acc = Expr::fpVal(0.0f);
    for (int j = k; j < n; j += 4)
      acc = acc.fadd(l.x[j]);
    lanes.push_back(acc);
  }
  Expr c = lanes[0].fadd(lanes[1]).fadd(lanes[2].fsub(lanes[3].fneg()));
  auto lc = read(l, c, 100);
  ASSERT_TRUE(lc && lc->bounded);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-100, 100);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<float> v(n);
    for (float &x : v)
      x = trial % 2 ? u(rng)
                    : (u(rng) > 0 ? 1 : -1) * std::ldexp(1.0f, trial % 40 - 20);
    float acc[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; ++k)
      for (int j = k; j < n; j += 4)
        acc[k] += v[j];
    float got = (acc[0] + acc[1]) + (acc[2] - (-acc[3]));
    long double exact = 0, bound = lc->err0;
    for (int j = 0; j < n; ++j) {
      exact += static_cast<long double>(lc->ideal[j]) * v[j];
      bound += (lc->err[j] + lc->coefErr[j]) * std::fabs(v[j]);
    }
    EXPECT_LE(std::fabs(static_cast<long double>(got) - exact), bound)
        << "trial " << trial;
  }
}
