// The reference's argmax / argmin folds (verify/methods/ReferenceFolds.h): two
// states (best value, int64 index), evaluated concretely update by update
// they give the semantics table's index (first NaN, first of ties, -0 ==
// +0); by induction they equal a candidate's loop in select or if spelling
// and no wrong twin of it.
#include "verify/methods/ReferenceFolds.h"
#include "verify/methods/SymbolicItem.h"
#include "verify/numerics/Fold.h"

#include "solver/Solver.h"
#include "support/Float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

using namespace ksynth;
using smt::Expr;
using verify::Fold;

namespace {

Expr c64(uint64_t v) { return Expr::bvVal(v, 64); }

constexpr int64_t kRows = 3, kN = 16;

spec::Spec argSpec(const std::string &op) {
  return spec::parseSpec(nlohmann::json::parse(R"({
    "name": "t",
    "inputs": { "x": { "dtype": "float32", "shape": ["M", "N"] } },
    "ops": [ { "op": ")" + op + R"(", "inputs": ["x"], "output": "y",
               "attrs": { "dim": 1 } } ],
    "outputs": ["y"],
    "domain": { "x": "all" },
    "shapes": [ { "M": 3, "N": 16 } ]
  })"),
                         "t.json");
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();

class FoldArgmaxTest : public ::testing::Test {
protected:
  std::unique_ptr<smt::QuerySolver> solver = smt::makeSolverStack({});
  std::function<bool(const Expr &)> unsat = [this](const Expr &q) {
    return solver->check({{q}, "fold"}).status == smt::SatResult::Unsat;
  };
  spec::ShapeBinding shape{{"M", kRows}, {"N", kN}};
  Expr g = Expr::bvVar("gid.0", 64);
  Expr pc = g.ult(c64(kRows));

  // The index the reference's fold computes for row `row` of `rows`
  // (row-major, kN per row), by concrete evaluation; and the reference
  // interpreter's, which it must equal.
  int64_t foldIndex(const std::string &op, const std::vector<float> &x,
                    int64_t row, int64_t *interp = nullptr) {
    spec::Spec s = argSpec(op);
    std::vector<Fold> folds;
    Expr r = verify::referenceElementFolded(s, shape, "y", g, folds, 8);
    EXPECT_EQ(folds.size(), 1u);
    if (folds.size() != 1)
      return -1;
    EXPECT_EQ(folds[0].accs.size(), 2u);
    EXPECT_TRUE(r.isBV() && r.bvWidth() == 64);
    verify::InputBits input = [&](const std::string &t, uint64_t i) {
      EXPECT_EQ(t, "x");
      return floatBits(x.at(i));
    };
    std::vector<std::pair<Expr, Expr>> subst{{g, c64(row)}};
    EXPECT_TRUE(
        verify::evalFolds(r, folds, subst, input, 1000,
                          std::chrono::steady_clock::time_point::max()));
    auto v = verify::evalConcrete(r, subst, input);
    EXPECT_TRUE(v && v->asUInt());
    if (interp)
      *interp = verify::concreteReferenceValueAt(
                    s, shape, "y", row,
                    [&](const std::string &, int64_t i) {
                      return floatBits(x.at(static_cast<size_t>(i)));
                    })
                    .i;
    return v && v->asUInt() ? static_cast<int64_t>(*v->asUInt()) : -1;
  }
};

TEST_F(FoldArgmaxTest, ConcreteEvaluationFollowsTheSemanticsTable) {
  std::vector<float> x(kRows * kN, 0.0f);
  // Row 0: ties at 5 and 9 (the first wins), a smaller value later.
  x[5] = 3.0f;
  x[9] = 3.0f;
  x[12] = -7.0f;
  // Row 1: NaNs at 4 and 11, a larger value in between: the first NaN.
  x[kN + 4] = kNaN;
  x[kN + 7] = 100.0f;
  x[kN + 11] = kNaN;
  // Row 2: -0 first, then +0 (equal), and only the last element largest.
  x[2 * kN] = -0.0f;
  x[2 * kN + 1] = 0.0f;
  x[2 * kN + kN - 1] = 1.0f;
  int64_t want = 0;
  EXPECT_EQ(foldIndex("argmax", x, 0, &want), 5);
  EXPECT_EQ(want, 5);
  EXPECT_EQ(foldIndex("argmax", x, 1, &want), 4);
  EXPECT_EQ(want, 4);
  EXPECT_EQ(foldIndex("argmax", x, 2, &want), kN - 1);
  EXPECT_EQ(want, kN - 1);
  // argmin: row 0's minimum at 12, row 1's first NaN, row 2's -0 at 0
  // (+0 at 1 is not smaller).
  EXPECT_EQ(foldIndex("argmin", x, 0, &want), 12);
  EXPECT_EQ(want, 12);
  EXPECT_EQ(foldIndex("argmin", x, 1, &want), 4);
  EXPECT_EQ(foldIndex("argmin", x, 2, &want), 0);
  EXPECT_EQ(want, 0);
  // NaN as the first element wins whatever follows.
  x[kN] = kNaN;
  EXPECT_EQ(foldIndex("argmax", x, 1, &want), 0);
  EXPECT_EQ(want, 0);
}

TEST_F(FoldArgmaxTest, AgreesWithTheInterpreterOnMixedRows) {
  const std::vector<float> pool{1.0f,     -1.0f,     0.0f, -0.0f,
                                INFINITY, -INFINITY, 2.5f, 2.5f};
  uint32_t seed = 12345;
  for (int round = 0; round < 20; ++round) {
    std::vector<float> x(kRows * kN);
    for (float &v : x) {
      seed = seed * 1103515245u + 12345u;
      // NaN in about one element of 32, so that rows with and without NaN
      // are both common.
      uint32_t pick = (seed >> 16) % 64;
      v = pick < 2 ? kNaN : pool[pick % pool.size()];
    }
    for (const char *op : {"argmax", "argmin"})
      for (int64_t row = 0; row < kRows; ++row) {
        int64_t want = -2;
        int64_t got = foldIndex(op, x, row, &want);
        EXPECT_EQ(got, want) << op << " row " << row << " round " << round;
      }
  }
}

TEST_F(FoldArgmaxTest, ShortLinesAreNotFolded) {
  spec::Spec s = argSpec("argmax");
  std::vector<Fold> folds;
  verify::referenceElementFolded(s, shape, "y", g, folds, kN + 1);
  EXPECT_TRUE(folds.empty());
  verify::referenceElementFolded(s, shape, "y", g, folds, 0);
  EXPECT_TRUE(folds.empty());
}

// A candidate's loop `for (int j = 1; j < N; ++j)` over row g as a fold:
// best from x[g*N], the index as sext(j) with j = trunc(k) + 1, the
// update in select or if spelling, or a wrong twin.
enum class Cand { Select, If, LastOnTies, NoNaN, ShortTrip };

Fold candidate(Cand kind, const std::string &tag) {
  Fold f;
  f.k = Expr::bvVar(tag + ".k", 64);
  Expr best = Expr::fpFromBits(Expr::bvVar("approx#" + tag + ".b", 32));
  Expr idx = Expr::bvVar("approx#" + tag + ".i", 64);
  Expr x = Expr::arrayVar("in:x", 64, 32);
  Expr row = Expr::bvVar("gid.0", 64).mul(c64(kN));
  Expr j = f.k.trunc(32).add(Expr::bvVal(1, 32));
  Expr v = Expr::fpFromBits(x.select(row.add(j.sext(64))));
  Expr take;
  switch (kind) {
  case Cand::Select:
  case Cand::ShortTrip:
    take = !best.isNaN() && !v.fole(best);
    break;
  case Cand::If: // v > best || (isnan(v) && !isnan(best))
    take = v.fogt(best) || (v.isNaN() && !best.isNaN());
    break;
  case Cand::LastOnTies:
    take = !best.isNaN() && !v.folt(best);
    break;
  case Cand::NoNaN:
    take = v.fogt(best);
    break;
  }
  f.accs = {best, idx};
  f.inits = {Expr::fpFromBits(x.select(row)), c64(0)};
  f.steps = {Expr::ite(take, v, best), Expr::ite(take, j.sext(64), idx)};
  f.results = {Expr::fpFromBits(Expr::bvVar("approx#" + tag + ".rb", 32)),
               Expr::bvVar("approx#" + tag + ".ri", 64)};
  f.trips = c64(kind == Cand::ShortTrip ? kN - 2 : kN - 1);
  return f;
}

TEST_F(FoldArgmaxTest, EqualByInductionOnlyToTheRightLoops) {
  spec::Spec s = argSpec("argmax");
  std::vector<Fold> ref;
  Expr r = verify::referenceElementFolded(s, shape, "y", g, ref, 8);
  ASSERT_EQ(ref.size(), 1u);
  int n = 0;
  for (Cand kind : {Cand::Select, Cand::If}) {
    std::vector<Fold> cand{candidate(kind, "cf" + std::to_string(n++))};
    unsigned matched = 0;
    Expr u = verify::unifyFolds(cand[0].results[1], r, cand, ref, pc, unsat,
                                matched);
    EXPECT_EQ(matched, 1u);
    EXPECT_TRUE(u.simplify().same(r.simplify()));
  }
  for (Cand kind : {Cand::LastOnTies, Cand::NoNaN, Cand::ShortTrip}) {
    Fold c = candidate(kind, "cf" + std::to_string(n++));
    std::vector<std::pair<Expr, Expr>> subst;
    EXPECT_FALSE(verify::foldsEqual(c, ref[0], pc, unsat, subst));
  }
  // The argmin fold is not the argmax loop.
  std::vector<Fold> refMin;
  verify::referenceElementFolded(argSpec("argmin"), shape, "y", g, refMin, 8);
  ASSERT_EQ(refMin.size(), 1u);
  std::vector<std::pair<Expr, Expr>> subst;
  EXPECT_FALSE(verify::foldsEqual(candidate(Cand::Select, "cf9"), refMin[0], pc,
                                  unsat, subst));
}

} // namespace
