// The forked Z3 mode (solver/ForkedZ3.h): each check in a child process,
// killed at the deadline. Answers and models must be those of the
// in-process mode.
#include "solver/ForkedZ3.h"
#include "solver/Expr.h"
#include "solver/Solver.h"
#include "support/Float.h"

#include <chrono>
#include <cstdio>
#include <gtest/gtest.h>

using ksynth::floatBits;
using ksynth::smt::Expr;
using ksynth::smt::makeZ3Solver;
using ksynth::smt::Query;
using ksynth::smt::QueryResult;
using ksynth::smt::SatResult;
using ksynth::smt::SolverConfig;

namespace {

SolverConfig mode(bool fork) {
  SolverConfig cfg;
  cfg.timeoutMs = 10000;
  cfg.fork = fork;
  return cfg;
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

// Bit-exact FP32 dot product with commuted multiplicands: Z3 does not
// finish this in a minute.
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

// Both modes answer sat with a model of the query, and the transfer is
// exact: the in-process model, through the child's script and back, gives
// every variable of the query and every probe (array reads, function
// applications, values the query leaves free) the same value. (The two
// modes' models themselves may differ where the query leaves a choice:
// Z3's choice depends on the context's history.)
void expectExactTransfer(const Query &q, const std::vector<Expr> &probes) {
  QueryResult in = makeZ3Solver(mode(false))->check(q);
  QueryResult out = makeZ3Solver(mode(true))->check(q);
  ASSERT_EQ(in.status, SatResult::Sat) << q.label;
  ASSERT_EQ(out.status, SatResult::Sat) << q.label;
  ASSERT_FALSE(out.model.isNull());
  EXPECT_EQ(out.model.boolean(Expr::andAll(q.assertions)), true) << q.label;
  ksynth::smt::Model back =
      ksynth::smt::detail::roundTripModel(in.model, q.assertions);
  ASSERT_FALSE(back.isNull()) << q.label;
  std::vector<Expr> terms = probes;
  for (const Expr &a : q.assertions)
    for (const Expr &v : a.vars())
      terms.push_back(v);
  for (const Expr &t : terms) {
    Expr a = in.model.eval(t), b = back.eval(t);
    EXPECT_TRUE(a.same(b)) << q.label << ": " << t.str() << " in process "
                           << a.str() << ", transferred " << b.str();
  }
}

TEST(ForkedZ3, SatModelRoundTripsBitVectorFloatAndReal) {
  Expr a = Expr::bvVar("a", 32), w = Expr::bvVar("w", 64);
  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y[3]"); // a name to quote
  Expr r = Expr::realVar("r"), p = Expr::boolVar("p");
  Query q{{a.mul(Expr::bvVal(3, 32)).eq(Expr::bvVal(126, 32)),
           a.ult(Expr::bvVal(1000, 32)),
           w.eq(Expr::bvVal(0x123456789abcdef0ull, 64)),
           x.fogt(Expr::fpVal(1.5f)), x.folt(Expr::fpVal(1.5000002f)),
           y.isNaN(), r.rmul(Expr::realVal(3)).eq(Expr::realVal(1)),
           p.implies(x.folt(Expr::fpVal(0)))},
          "bv fp real"};
  auto s = makeZ3Solver(mode(true));
  QueryResult res = s->check(q);
  ASSERT_EQ(res.status, SatResult::Sat);
  ASSERT_FALSE(res.model.isNull());
  EXPECT_EQ(res.model.bv(a), 42u);
  EXPECT_EQ(res.model.bv(w), 0x123456789abcdef0ull);
  EXPECT_EQ(res.model.fpBits(x), floatBits(1.5000001f));
  EXPECT_EQ(res.model.fpBits(y), 0x7fc00000u);
  std::optional<double> rv = res.model.eval(r).asReal();
  ASSERT_TRUE(rv);
  EXPECT_DOUBLE_EQ(*rv, 1.0 / 3.0);
  EXPECT_EQ(res.model.boolean(p), false);
  EXPECT_EQ(res.model.bv(Expr::bvVar("unmentioned", 16)), 0u);
  EXPECT_GT(res.seconds, 0.0);
  expectExactTransfer(q, {a.add(Expr::bvVal(1, 32)), x.fadd(x)});
}

TEST(ForkedZ3, ArraysAndUninterpretedFunctionsRoundTrip) {
  Expr arr = Expr::arrayVar("buf:in", 64, 32);
  Expr i = Expr::bvVar("i", 64), j = Expr::bvVar("j", 64);
  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y");
  Expr fx = Expr::uf("exp", {x}), fy = Expr::uf("exp", {y});
  Query q{{arr.select(i).eq(Expr::bvVal(7, 32)),
           arr.select(j).eq(Expr::bvVal(9, 32)), i.ult(Expr::bvVal(4, 64)),
           fx.fogt(Expr::fpVal(2.0f)), fy.folt(Expr::fpVal(-2.0f)), x.folt(y)},
          "array and uf"};
  QueryResult res = makeZ3Solver(mode(true))->check(q);
  ASSERT_EQ(res.status, SatResult::Sat);
  EXPECT_EQ(res.model.bv(arr.select(i)), 7u);
  EXPECT_EQ(res.model.bv(arr.select(j)), 9u);
  EXPECT_EQ(res.model.boolean(fx.fogt(Expr::fpVal(2.0f))), true);
  EXPECT_EQ(res.model.boolean(fy.folt(Expr::fpVal(-2.0f))), true);
  expectExactTransfer(q, {arr.select(i.add(Expr::bvVal(1, 64))),
                          arr.select(Expr::bvVal(123, 64)), fx, fy,
                          Expr::uf("exp", {Expr::fpVal(0.5f)}),
                          Expr::uf("exp", {x.fadd(y)})});
}

TEST(ForkedZ3, UnsatAndCountsAsInProcess) {
  Expr x = Expr::fpVar("x");
  Expr one = Expr::fpVal(1.0f), minusOne = Expr::fpVal(-1.0f);
  Expr ht =
      Expr::ite(x.folt(minusOne), minusOne, Expr::ite(x.fogt(one), one, x));
  auto s = makeZ3Solver(mode(true));
  QueryResult r = s->check({{x.fabs().fole(one), ht.ne(x)}, "on [-1,1]"});
  EXPECT_EQ(r.status, SatResult::Unsat);
  EXPECT_TRUE(r.model.isNull());
  EXPECT_EQ(s->check({{}, "empty"}).status, SatResult::Sat);
  EXPECT_EQ(s->stats().queries, 2u);
  EXPECT_EQ(s->stats().unsat, 1u);
  EXPECT_EQ(s->stats().sat, 1u);
}

TEST(ForkedZ3, HardQueryIsKilledAtItsTimeout) {
  SolverConfig cfg;
  cfg.timeoutMs = 200;
  auto s = makeZ3Solver(cfg); // forked is the default
  auto start = std::chrono::steady_clock::now();
  QueryResult r = s->check(hardQuery());
  double wall = since(start);
  EXPECT_EQ(r.status, SatResult::Unknown);
  EXPECT_EQ(r.reason, "timeout (killed)");
  EXPECT_GE(wall, 0.2);
  EXPECT_LT(wall, 1.0);
  // A per-query limit below the config's is the one kept.
  start = std::chrono::steady_clock::now();
  Query q = hardQuery();
  q.timeoutMs = 100;
  EXPECT_EQ(makeZ3Solver(mode(true))->check(q).reason, "timeout (killed)");
  EXPECT_LT(since(start), 0.6);
  // This process is untouched: the context solves and simplifies.
  Expr x = Expr::fpVar("x");
  EXPECT_EQ(s->check({{x.folt(Expr::fpVal(0))}, "easy"}).status,
            SatResult::Sat);
  EXPECT_EQ(Expr::fpVal(1).fadd(Expr::fpVal(2)).simplify().asFPBits(),
            floatBits(3.0f));
}

TEST(ForkedZ3, MemoryCapGivesMemout) {
  // Z3's own limit (below what Z3 already holds), as in process.
  SolverConfig cfg = mode(true);
  cfg.memoryMb = 1;
  QueryResult r = makeZ3Solver(cfg)->check(hardQuery());
  EXPECT_EQ(r.status, SatResult::Unknown);
  EXPECT_EQ(r.reason, "memout");

  // The address-space cap alone (Z3's limit off): the child's allocations
  // fail and the answer is still an unknown "memout", in time.
  ksynth::smt::detail::ForkTuning t;
  t.z3MemoryLimit = false;
  t.addressSpaceSlackMb = 0;
  cfg.memoryMb = 16;
  cfg.timeoutMs = 20000;
  auto start = std::chrono::steady_clock::now();
  r = ksynth::smt::detail::makeZ3Solver(cfg, t)->check(hardQuery());
  EXPECT_EQ(r.status, SatResult::Unknown);
  EXPECT_EQ(r.reason, "memout");
  EXPECT_LT(since(start), 15.0);
  // And this process is untouched.
  Expr x = Expr::fpVar("x");
  EXPECT_EQ(makeZ3Solver(mode(true))
                ->check({{x.folt(Expr::fpVal(0))}, "easy"})
                .status,
            SatResult::Sat);
}

TEST(ForkedZ3, OverheadPerSmallQuery) {
  // Not a benchmark: prints the cost of a fork per tiny query, and fails
  // only on a gross regression.
  double secs[2];
  for (int fork = 0; fork < 2; ++fork) {
    auto s = makeZ3Solver(mode(fork != 0));
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) {
      Expr v = Expr::bvVar("v" + std::to_string(i), 32);
      ASSERT_EQ(s->check({{v.eq(Expr::bvVal(i, 32))}, "tiny"}).status,
                SatResult::Sat);
    }
    secs[fork] = since(start) / 50;
  }
  std::printf("per tiny query: in process %.3f ms, forked %.3f ms\n",
              secs[0] * 1e3, secs[1] * 1e3);
  EXPECT_LT(secs[1], 0.2);
}

} // namespace
