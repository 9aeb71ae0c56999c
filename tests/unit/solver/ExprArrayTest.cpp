// Array terms (bit-vector index -> bit-vector value): reads, writes, the
// list of reads in a term, and models that evaluate them.
#include "solver/Expr.h"
#include "solver/Solver.h"

#include <gtest/gtest.h>

using ksynth::smt::Expr;

namespace {

TEST(ExprArray, SelectOfStoreAndSorts) {
  Expr a = Expr::arrayVar("arr:a", 64, 32);
  EXPECT_TRUE(a.isArray());
  EXPECT_FALSE(a.isBV());
  Expr i = Expr::bvVar("i", 64);
  Expr r = a.select(i);
  EXPECT_TRUE(r.isBV());
  EXPECT_EQ(r.bvWidth(), 32u);
  Expr w = a.store(Expr::bvVal(3, 64), Expr::bvVal(7, 32));
  EXPECT_TRUE(w.isArray());
  // The rewriter reads through a store at a numeral index.
  EXPECT_EQ(w.select(Expr::bvVal(3, 64)).simplify().asUInt(),
            std::optional<uint64_t>(7));
  EXPECT_FALSE(r.isConstVar());
  // The array itself is a variable of the term.
  auto vs = r.vars();
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].varName(), "arr:a");
}

TEST(ExprArray, SelectsListsEveryReadOnce) {
  Expr a = Expr::arrayVar("arr:a", 64, 32);
  Expr i = Expr::bvVar("i", 64);
  Expr r1 = a.select(i), r2 = a.select(i.add(Expr::bvVal(1, 64)));
  Expr t = r1.add(r2).eq(r1); // r1 twice
  std::vector<Expr> s = t.selects();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TRUE(s[0].same(r1) || s[1].same(r1));
  // A read nested in an index is listed too.
  Expr nested = a.select(r1.zext(64));
  EXPECT_EQ(nested.selects().size(), 2u);
  EXPECT_TRUE(Expr::bvVar("z", 8).selects().empty());
}

TEST(ExprArray, ModelsEvaluateReads) {
  ksynth::smt::SolverConfig cfg;
  cfg.timeoutMs = 10000;
  auto solver = ksynth::smt::makeSolverStack(cfg);
  Expr a = Expr::arrayVar("arr:a", 64, 32);
  Expr i = Expr::bvVar("i", 64), j = Expr::bvVar("j", 64);
  // a[i] = 5, a[j] = 6 forces i != j; a[i] = a[j] with i = j is consistent.
  auto r = solver->check(
      {{a.select(i).eq(Expr::bvVal(5, 32)), a.select(j).eq(Expr::bvVal(6, 32)),
        i.ult(Expr::bvVal(10, 64))},
       "array model"});
  ASSERT_EQ(r.status, ksynth::smt::SatResult::Sat);
  EXPECT_EQ(r.model.bv(a.select(i)), std::optional<uint64_t>(5));
  EXPECT_EQ(r.model.bv(a.select(j)), std::optional<uint64_t>(6));
  EXPECT_NE(r.model.bv(i), r.model.bv(j));
  auto u = solver->check({{i.eq(j), a.select(i).ne(a.select(j))}, "array"});
  EXPECT_EQ(u.status, ksynth::smt::SatResult::Unsat);
}

} // namespace
