// Folds (verify/numerics/Fold.h): equality by induction accepts only folds with
// the same trip count, initial state and update (up to the spelling of read
// indices), and concrete evaluation runs a fold update by update.
#include "verify/numerics/Fold.h"

#include "solver/Solver.h"
#include "support/Float.h"

#include <gtest/gtest.h>

using namespace ksynth;
using smt::Expr;
using verify::Fold;

namespace {

Expr c64(uint64_t v) { return Expr::bvVal(v, 64); }

// sum over x[base + k], k < trips, from `init`; `tag` names its variables.
Fold sumFold(const std::string &tag, const Expr &base, const Expr &trips,
             float init, bool square = false) {
  Fold f;
  f.k = Expr::bvVar(tag + ".k", 64);
  Expr acc = Expr::fpFromBits(Expr::bvVar("approx#" + tag + ".a", 32));
  Expr x =
      Expr::fpFromBits(Expr::arrayVar("in:x", 64, 32).select(base.add(f.k)));
  f.accs = {acc};
  f.inits = {Expr::fpVal(init)};
  f.steps = {acc.fadd(square ? x.fmul(x) : x)};
  f.results = {Expr::fpFromBits(Expr::bvVar("approx#" + tag + ".r", 32))};
  f.trips = trips;
  return f;
}

class FoldTest : public ::testing::Test {
protected:
  std::unique_ptr<smt::QuerySolver> solver = smt::makeSolverStack({});
  std::function<bool(const Expr &)> unsat = [this](const Expr &q) {
    return solver->check({{q}, "fold"}).status == smt::SatResult::Unsat;
  };
  Expr g = Expr::bvVar("gid.0", 64);
  Expr pc = g.ult(c64(1024));
};

TEST_F(FoldTest, EqualByInductionDespiteIndexSpelling) {
  // Candidate reads x[sext(trunc(g*64)) + k]; reference x[g*64 + k].
  Expr candBase = g.mul(c64(64)).trunc(32).sext(64);
  Fold a = sumFold("fold1", candBase, c64(64), 0.0f);
  Fold b = sumFold("rfold1", g.mul(c64(64)), c64(64), 0.0f);
  std::vector<std::pair<Expr, Expr>> subst;
  EXPECT_TRUE(verify::foldsEqual(a, b, pc, unsat, subst));
  ASSERT_EQ(subst.size(), 1u);
  // Outside the range where the 32-bit index is exact they differ.
  Expr wide = g.ult(c64(uint64_t{1} << 40));
  EXPECT_FALSE(verify::foldsEqual(a, b, wide, unsat, subst));
}

TEST_F(FoldTest, DifferentTripsInitOrUpdateAreNotEqual) {
  Expr base = g.mul(c64(64));
  Fold ref = sumFold("rfold2", base, c64(64), 0.0f);
  std::vector<std::pair<Expr, Expr>> subst;
  EXPECT_FALSE(verify::foldsEqual(sumFold("f2", base, c64(63), 0.0f), ref, pc,
                                  unsat, subst));
  EXPECT_FALSE(verify::foldsEqual(sumFold("f3", base, c64(64), 1.0f), ref, pc,
                                  unsat, subst));
  EXPECT_FALSE(verify::foldsEqual(sumFold("f4", base, c64(64), 0.0f, true), ref,
                                  pc, unsat, subst));
  EXPECT_FALSE(verify::foldsEqual(
      sumFold("f5", base.add(c64(1)), c64(64), 0.0f), ref, pc, unsat, subst));
}

TEST_F(FoldTest, TheReasonNamesWhatDiffers) {
  // Issue 17: a start the reference does not have is named, with both
  // values; so are a trip count and an update that differ.
  Expr base = g.mul(c64(64));
  Fold ref = sumFold("rfold3", base, c64(64), 0.0f);
  std::vector<std::pair<Expr, Expr>> subst;
  std::string why;
  EXPECT_FALSE(verify::foldsEqual(sumFold("f6", base, c64(64), 1e-30f), ref, pc,
                                  unsat, subst, &why));
  EXPECT_NE(why.find("initial state"), std::string::npos) << why;
  EXPECT_NE(why.find("1e-30 0x0da24260"), std::string::npos) << why;
  EXPECT_FALSE(verify::foldsEqual(sumFold("f7", base, c64(63), 0.0f), ref, pc,
                                  unsat, subst, &why));
  EXPECT_NE(why.find("trip count"), std::string::npos) << why;
  EXPECT_FALSE(verify::foldsEqual(sumFold("f8", base, c64(64), 0.0f, true), ref,
                                  pc, unsat, subst, &why));
  EXPECT_NE(why.find("update"), std::string::npos) << why;
}

TEST_F(FoldTest, NegativeZeroStartIsEqualUpToTheSignOfZero) {
  // -0 + x and +0 + x differ only in a zero's sign (a row of -0 sums to -0
  // from -0, to +0 from +0): not equal bit for bit, equal up to the sign of
  // zero by induction; the candidate's result becomes the reference's or,
  // where that is a zero, its negation (an approximation choice).
  Expr base = g.mul(c64(64));
  Fold cand = sumFold("f3z", base, c64(64), -0.0f);
  Fold ref = sumFold("rfold3z", base, c64(64), 0.0f);
  std::vector<std::pair<Expr, Expr>> subst;
  ASSERT_TRUE(verify::foldsEqual(cand, ref, pc, unsat, subst));
  ASSERT_EQ(subst.size(), 1u);
  Expr c = cand.results[0].substitute(subst);
  Expr r = ref.results[0];
  EXPECT_TRUE(unsat(!c.eq(r) && !r.isZero()));
  EXPECT_FALSE(unsat(!c.eq(r))); // both signs of zero are possible
  bool approx = false;
  for (const Expr &v : c.vars())
    approx = approx || v.varName().rfind("approx#", 0) == 0;
  EXPECT_TRUE(approx);
  // Different updates stay unrelated (a sum of squares against a sum).
  Fold sq = sumFold("f3q", base, c64(64), -0.0f, true);
  EXPECT_FALSE(verify::foldsEqual(sq, ref, pc, unsat, subst));
}

TEST_F(FoldTest, UnifyReplacesOnlyMatchedResults) {
  Expr base = g.mul(c64(64));
  std::vector<Fold> cand{sumFold("f6", base, c64(64), 0.0f)};
  std::vector<Fold> ref{sumFold("rfold6", base, c64(64), 0.0f)};
  Expr c = cand[0].results[0].fmul(Expr::fpVal(0.5f));
  Expr r = ref[0].results[0].fmul(Expr::fpVal(0.5f));
  unsigned matched = 0;
  Expr u = verify::unifyFolds(c, r, cand, ref, pc, unsat, matched);
  EXPECT_EQ(matched, 1u);
  EXPECT_TRUE(u.simplify().same(r.simplify()));
  std::vector<Fold> wrong{sumFold("f7", base, c64(65), 0.0f)};
  Expr c2 = wrong[0].results[0].fmul(Expr::fpVal(0.5f));
  Expr u2 = verify::unifyFolds(c2, r, wrong, ref, pc, unsat, matched);
  EXPECT_EQ(matched, 0u);
  EXPECT_TRUE(verify::mentionsFold(u2, wrong));
}

TEST_F(FoldTest, ConcreteEvaluationRunsEveryUpdate) {
  std::vector<Fold> fs{sumFold("f8", g.mul(c64(100)), c64(100), 0.0f)};
  std::vector<std::pair<Expr, Expr>> subst{{g, c64(3)}};
  // x[i] = i as a float: row 3 sums 300 .. 399.
  verify::InputBits input = [](const std::string &t, uint64_t i) {
    EXPECT_EQ(t, "x");
    return floatBits(static_cast<float>(i));
  };
  ASSERT_TRUE(verify::evalFolds(fs[0].results[0], fs, subst, input, 1000,
                                std::chrono::steady_clock::time_point::max()));
  auto v = verify::evalConcrete(fs[0].results[0], subst, input);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(bitsFloat(*v->asFPBits()), 34950.0f);
  // A trip count above the limit is refused.
  std::vector<std::pair<Expr, Expr>> s2{{g, c64(3)}};
  EXPECT_FALSE(verify::evalFolds(fs[0].results[0], fs, s2, input, 10,
                                 std::chrono::steady_clock::time_point::max()));
}

} // namespace
