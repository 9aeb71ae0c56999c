// The Z3 solver: answers, models, defaults, statistics and the deadline.
#include "solver/Expr.h"
#include "solver/Solver.h"
#include "support/Float.h"

#include <chrono>
#include <cmath>
#include <gtest/gtest.h>

using ksynth::bitsFloat;
using ksynth::smt::Expr;
using ksynth::smt::makeZ3Solver;
using ksynth::smt::Model;
using ksynth::smt::Query;
using ksynth::smt::QueryResult;
using ksynth::smt::SatResult;
using ksynth::smt::SolverConfig;

namespace {

Expr hardtanh(const Expr &x) {
  Expr one = Expr::fpVal(1.0f), minusOne = Expr::fpVal(-1.0f);
  return Expr::ite(x.folt(minusOne), minusOne, Expr::ite(x.fogt(one), one, x));
}

float hardtanhRef(float x) { return x < -1 ? -1 : x > 1 ? 1 : x; }

SolverConfig quick() {
  SolverConfig cfg;
  cfg.timeoutMs = 10000;
  return cfg;
}

TEST(Z3Solver, HardtanhIsNotIdentityAndTheModelShowsWhy) {
  auto s = makeZ3Solver(quick());
  Expr x = Expr::fpVar("x");
  QueryResult r = s->check({{hardtanh(x).ne(x)}, "hardtanh vs identity"});
  ASSERT_EQ(r.status, SatResult::Sat);
  ASSERT_FALSE(r.model.isNull());
  std::optional<uint32_t> xb = r.model.fpBits(x);
  ASSERT_TRUE(xb);
  float xv = bitsFloat(*xb);
  EXPECT_FALSE(xv >= -1.0f && xv <= 1.0f) << xv;
  EXPECT_FALSE(std::isnan(xv));
  // Both sides under the model differ, in the model and in C++.
  std::optional<uint32_t> lhs = r.model.fpBits(hardtanh(x));
  ASSERT_TRUE(lhs);
  EXPECT_NE(*lhs, *xb);
  EXPECT_EQ(*lhs, ksynth::floatBits(hardtanhRef(xv)));
  EXPECT_EQ(r.model.boolean(hardtanh(x).ne(x)), true);
  EXPECT_GT(r.seconds, 0.0);
  EXPECT_FALSE(r.cached);
}

TEST(Z3Solver, HardtanhIsIdentityOnTheUnitInterval) {
  auto s = makeZ3Solver(quick());
  Expr x = Expr::fpVar("x");
  Expr pre = x.fabs().fole(Expr::fpVal(1.0f));
  QueryResult r = s->check({{pre, hardtanh(x).ne(x)}, "on [-1,1]"});
  EXPECT_EQ(r.status, SatResult::Unsat);
  EXPECT_TRUE(r.model.isNull());
}

TEST(Z3Solver, ModelGivesDefaultsToUnmentionedVariables) {
  auto s = makeZ3Solver(quick());
  Expr a = Expr::bvVar("a", 32);
  QueryResult r = s->check({{a.eq(Expr::bvVal(42, 32))}, "a = 42"});
  ASSERT_EQ(r.status, SatResult::Sat);
  EXPECT_EQ(r.model.bv(a), 42u);
  EXPECT_EQ(r.model.bv(a.add(Expr::bvVal(1, 32))), 43u);
  EXPECT_EQ(r.model.bv(Expr::bvVar("unmentioned", 16)), 0u);
  EXPECT_EQ(r.model.fpBits(Expr::fpVar("unmentionedF")), 0u); // +0
  EXPECT_EQ(r.model.boolean(Expr::boolVar("unmentionedP")), false);
  EXPECT_FALSE(r.model.bv(Expr::fpVar("f"))); // not a bit-vector

  QueryResult empty = s->check({{}, "empty"});
  EXPECT_EQ(empty.status, SatResult::Sat);
}

TEST(Z3Solver, CountsAnswers) {
  auto s = makeZ3Solver(quick());
  Expr p = Expr::boolVar("p");
  s->check({{p}, "sat"});
  s->check({{p, !p}, "unsat"});
  s->check({{Expr::boolVal(false)}, "unsat"});
  EXPECT_EQ(s->stats().queries, 3u);
  EXPECT_EQ(s->stats().sat, 1u);
  EXPECT_EQ(s->stats().unsat, 2u);
  EXPECT_EQ(s->stats().unknown, 0u);
  EXPECT_EQ(s->stats().cacheHits, 0u);
}

// Bit-exact FP32 dot product with commuted multiplicands: Z3 does not
// finish this in a minute (design notes), so only the deadline ends it.
Query hardQuery() {
  Expr lhs, rhs;
  for (int i = 0; i < 4; ++i) {
    Expr a = Expr::fpVar("a" + std::to_string(i));
    Expr b = Expr::fpVar("b" + std::to_string(i));
    lhs = i ? lhs.fadd(a.fmul(b)) : a.fmul(b);
    rhs = i ? rhs.fadd(b.fmul(a)) : b.fmul(a);
  }
  return {{lhs.fpToBits().ne(rhs.fpToBits())}, "dot4 commuted"};
}

TEST(Z3Solver, DeadlineIsEnforced) {
  SolverConfig cfg;
  cfg.timeoutMs = 300;
  cfg.fork = false; // the watchdog (ForkedZ3Test: the forked mode)
  auto s = makeZ3Solver(cfg);
  auto start = std::chrono::steady_clock::now();
  QueryResult r = s->check(hardQuery());
  double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_EQ(r.status, SatResult::Unknown);
  EXPECT_EQ(r.reason, "timeout");
  EXPECT_LT(wall, 2.0);
  EXPECT_GE(r.seconds, 0.25);
  // The watchdog, not Z3's own backstop a second later, ended the check.
  EXPECT_LT(r.seconds, 1.0);
  EXPECT_EQ(s->stats().unknown, 1u);

  // The interrupted check leaves the context usable.
  Expr x = Expr::fpVar("x");
  EXPECT_EQ(s->check({{x.folt(Expr::fpVal(0))}, "easy"}).status,
            SatResult::Sat);
  EXPECT_EQ(Expr::fpVal(1).fadd(Expr::fpVal(2)).simplify().asFPBits(),
            ksynth::floatBits(3.0f));
}

TEST(Z3Solver, MemoryLimitGivesMemout) {
  SolverConfig cfg;
  cfg.timeoutMs = 5000;
  cfg.memoryMb = 1; // below what Z3 already holds
  auto s = makeZ3Solver(cfg);
  QueryResult r = s->check(hardQuery());
  EXPECT_EQ(r.status, SatResult::Unknown);
  EXPECT_EQ(r.reason, "memout");
  // The limit held for that check only: terms can be built and solved.
  Expr big = Expr::bvVar("big", 32);
  for (uint64_t i = 0; i < 20000; ++i)
    big = big.add(Expr::bvVar("v" + std::to_string(i), 32));
  EXPECT_FALSE(big.simplify().isNull());
  Expr x = Expr::fpVar("x");
  EXPECT_EQ(
      makeZ3Solver(quick())->check({{x.folt(Expr::fpVal(0))}, "easy"}).status,
      SatResult::Sat);
}

} // namespace
