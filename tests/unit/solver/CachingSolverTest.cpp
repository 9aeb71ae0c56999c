// The caching solver: one Z3 call per query shape, models read back through
// the renaming.
#include "solver/Expr.h"
#include "solver/Solver.h"
#include "support/Float.h"

#include <gtest/gtest.h>

using ksynth::bitsFloat;
using ksynth::smt::Expr;
using ksynth::smt::makeCachingSolver;
using ksynth::smt::makeZ3Solver;
using ksynth::smt::QueryResult;
using ksynth::smt::SatResult;
using ksynth::smt::SolverConfig;

namespace {

Expr hardtanh(const Expr &x) {
  Expr one = Expr::fpVal(1.0f), minusOne = Expr::fpVal(-1.0f);
  return Expr::ite(x.folt(minusOne), minusOne, Expr::ite(x.fogt(one), one, x));
}

std::unique_ptr<ksynth::smt::QuerySolver> cachingSolver() {
  SolverConfig cfg;
  cfg.timeoutMs = 10000;
  return makeCachingSolver(makeZ3Solver(cfg));
}

TEST(CachingSolver, SameShapeOtherVariablesIsAHitWithAUsableModel) {
  auto s = cachingSolver();
  Expr x3 = Expr::fpVar("x[3]"), x7 = Expr::fpVar("x[7]");
  Expr q3 = hardtanh(x3).ne(x3), q7 = hardtanh(x7).ne(x7);

  QueryResult r3 = s->check({{q3}, "y[3]"});
  ASSERT_EQ(r3.status, SatResult::Sat);
  EXPECT_FALSE(r3.cached);
  EXPECT_EQ(r3.model.boolean(q3), true);

  QueryResult r7 = s->check({{q7}, "y[7]"});
  ASSERT_EQ(r7.status, SatResult::Sat);
  EXPECT_TRUE(r7.cached);
  EXPECT_EQ(r7.seconds, 0.0);
  // The model speaks of x[7], the variable of this query.
  EXPECT_EQ(r7.model.boolean(q7), true);
  std::optional<uint32_t> b = r7.model.fpBits(x7);
  ASSERT_TRUE(b);
  float v = bitsFloat(*b);
  EXPECT_FALSE(v >= -1.0f && v <= 1.0f) << v;
  EXPECT_EQ(r7.model.fpBits(x7), r3.model.fpBits(x3));
  // A variable the query does not mention gets its default.
  EXPECT_EQ(r7.model.fpBits(x3), 0u);

  EXPECT_EQ(s->stats().queries, 2u);
  EXPECT_EQ(s->stats().cacheHits, 1u);
  EXPECT_EQ(s->stats().sat, 2u);
}

TEST(CachingSolver, RenamingFollowsFirstOccurrence) {
  auto s = cachingSolver();
  Expr a = Expr::bvVar("a", 8), b = Expr::bvVar("b", 8);
  Expr c = Expr::bvVar("c", 8), d = Expr::bvVar("d", 8);
  // Same shape: first variable < second variable, second = 7.
  QueryResult r1 = s->check({{a.ult(b), b.eq(Expr::bvVal(7, 8))}, "1"});
  QueryResult r2 = s->check({{d.ult(c), c.eq(Expr::bvVal(7, 8))}, "2"});
  ASSERT_EQ(r1.status, SatResult::Sat);
  ASSERT_EQ(r2.status, SatResult::Sat);
  EXPECT_TRUE(r2.cached);
  EXPECT_EQ(r2.model.bv(c), 7u);
  EXPECT_EQ(r2.model.boolean(d.ult(c)), true);
  EXPECT_EQ(r2.model.bv(d), r1.model.bv(a));
}

TEST(CachingSolver, DifferentShapesAreNotConfused) {
  auto s = cachingSolver();
  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y");
  QueryResult r1 = s->check({{hardtanh(x).ne(x)}, "no precondition"});
  QueryResult r2 = s->check(
      {{y.fabs().fole(Expr::fpVal(1.0f)), hardtanh(y).ne(y)}, "on [-1,1]"});
  EXPECT_EQ(r1.status, SatResult::Sat);
  EXPECT_EQ(r2.status, SatResult::Unsat);
  EXPECT_FALSE(r2.cached);
  // Same shape but another sort is another query.
  Expr a8 = Expr::bvVar("a8", 8), a16 = Expr::bvVar("a16", 16);
  QueryResult r3 = s->check({{a8.eq(Expr::bvVal(1, 8))}, "8"});
  QueryResult r4 = s->check({{a16.eq(Expr::bvVal(1, 16))}, "16"});
  EXPECT_FALSE(r4.cached);
  EXPECT_EQ(r4.model.bv(a16), 1u);
  // An Unsat answer is cached too.
  QueryResult r5 = s->check(
      {{x.fabs().fole(Expr::fpVal(1.0f)), hardtanh(x).ne(x)}, "again"});
  EXPECT_EQ(r5.status, SatResult::Unsat);
  EXPECT_TRUE(r5.cached);
  EXPECT_EQ(s->stats().cacheHits, 1u);
  EXPECT_EQ(s->stats().queries, 5u);
}

} // namespace
