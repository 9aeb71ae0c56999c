// The one shrink loop of every method's counterexamples
// (verify/discharge/ModelShrink.h), on both paths: through the solver
// (the symbolic methods' kPreferred values, and the enumerated method's own
// list of constraints) and concretely (the enumerated method's evaluation).
#include "verify/discharge/ModelShrink.h"

#include "solver/Solver.h"
#include "support/Float.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

using ksynth::floatBits;
using ksynth::smt::Expr;
using namespace ksynth;
using namespace ksynth::verify;

namespace {

struct Z3 {
  std::unique_ptr<smt::QuerySolver> z3 = smt::makeZ3Solver(smt::SolverConfig{});
  unsigned asked = 0;
  smt::QueryResult operator()(const std::vector<Expr> &q, unsigned ms) {
    ++asked;
    return z3->check({q, "shrink", ms});
  }
  smt::Model model(const std::vector<Expr> &q) {
    smt::QueryResult r = z3->check({q, "model"});
    EXPECT_EQ(r.status, smt::SatResult::Sat);
    return r.model;
  }
};

Expr f(const Expr &bits) { return Expr::fpFromBits(bits); }

TEST(ModelShrink, SolverPathMovesEachVariableToItsFirstReadableValue) {
  // a >= 1.5 and b < -50: the first kPreferred values that stay in are 2
  // and -100 (0, 1, -1 fail for a; every value down to -10 fails for b).
  Expr a = Expr::bvVar("a", 32), b = Expr::bvVar("b", 32);
  std::vector<Expr> conds{
      f(a).foge(Expr::fpVal(1.5f)) && f(a).fole(Expr::fpVal(1e6f)),
      f(b).folt(Expr::fpVal(-50.0f)) && f(b).foge(Expr::fpVal(-1e6f))};
  Z3 z3;
  // A model far from readable: a = 1000, b = -1000.
  std::vector<Expr> pinned = conds;
  pinned.push_back(a.eq(Expr::bvVal(floatBits(1000.0f), 32)));
  pinned.push_back(b.eq(Expr::bvVal(floatBits(-1000.0f), 32)));
  smt::Model m = z3.model(pinned);
  m = shrinkModel(
      conds, m, {a, b}, {6, 10000, 2000},
      [&](const std::vector<Expr> &q, unsigned ms) { return z3(q, ms); });
  EXPECT_EQ(m.bv(a), std::optional<uint64_t>(floatBits(2.0f)));
  EXPECT_EQ(m.bv(b), std::optional<uint64_t>(floatBits(-100.0f)));
  EXPECT_EQ(conds.size(), 4u); // both values kept in the query
}

TEST(ModelShrink, SolverPathTriesOnlyMaxVarsVariables) {
  Expr a = Expr::bvVar("a", 32), b = Expr::bvVar("b", 32);
  std::vector<Expr> conds{f(a).foge(Expr::fpVal(1.5f)) &&
                              f(a).fole(Expr::fpVal(1e6f)),
                          f(b).foeq(Expr::fpVal(7.25f))};
  Z3 z3;
  smt::Model m = z3.model(conds);
  m = shrinkModel(
      conds, m, {b, a}, {1, 10000, 2000},
      [&](const std::vector<Expr> &q, unsigned ms) { return z3(q, ms); });
  // b (7.25) has no readable value; a is past the budget of one variable.
  EXPECT_EQ(conds.size(), 2u);
  EXPECT_EQ(z3.asked, 13u); // every kPreferred value for b, none for a
}

TEST(ModelShrink, SolverPathAsksTheCallersConstraintsInOrder) {
  // The enumerated method's list for a bool input (bv8): 0, then 1.
  Expr v = Expr::bvVar("flag", 8);
  std::vector<Expr> conds{v.ne(Expr::bvVal(0, 8))};
  Z3 z3;
  smt::Model m = z3.model(conds);
  m = shrinkModel(
      conds, m, {v}, {6, 10000, 2000},
      [&](const std::vector<Expr> &q, unsigned ms) { return z3(q, ms); },
      [](const Expr &x) {
        return std::vector<Expr>{x.eq(Expr::bvVal(0, 8)),
                                 x.eq(Expr::bvVal(1, 8))};
      });
  EXPECT_EQ(m.bv(v), std::optional<uint64_t>(1));
  EXPECT_EQ(z3.asked, 2u);
}

TEST(ModelShrink, ConcretePathKeepsTheFirstAlternativeThatHolds) {
  // x must stay >= 1.5; y must stay 7.25 (no alternative holds, its value
  // is put back); z is already readable (0: nothing tried).
  Expr x = Expr::bvVar("x", 32), y = Expr::bvVar("y", 32),
       z = Expr::bvVar("z", 32);
  std::map<unsigned, uint64_t> val{{x.id(), floatBits(1000.0f)},
                                   {y.id(), floatBits(7.25f)},
                                   {z.id(), floatBits(0.0f)}};
  unsigned tries = 0;
  auto holds = [&] {
    ++tries;
    return bitsFloat(static_cast<uint32_t>(val[x.id()])) >= 1.5f &&
           val[y.id()] == floatBits(7.25f);
  };
  shrinkConcretely(
      {x, y, z}, 10000,
      [](const Expr &) {
        return std::vector<uint64_t>{floatBits(0.0f), floatBits(1.0f),
                                     floatBits(2.0f), floatBits(3.0f)};
      },
      [&](const Expr &v) { return val[v.id()]; },
      [&](const Expr &v, uint64_t b) { val[v.id()] = b; }, holds);
  EXPECT_EQ(val[x.id()], floatBits(2.0f));
  EXPECT_EQ(val[y.id()], floatBits(7.25f));
  EXPECT_EQ(val[z.id()], floatBits(0.0f));
  EXPECT_EQ(tries, 3u + 4u); // x: 0, 1, 2; y: all four; z: none
}

} // namespace
