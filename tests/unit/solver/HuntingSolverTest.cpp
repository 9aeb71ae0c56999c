// The hunting solver: concrete assignments before the inner solver, among
// them the ends of the query's declared ranges, large magnitudes and a
// large constant plus small jitter; deterministic for a seed.
#include "solver/Expr.h"
#include "solver/Solver.h"
#include "support/Float.h"

#include <gtest/gtest.h>

#include <vector>

using ksynth::bitsFloat;
using ksynth::smt::Expr;
using ksynth::smt::makeHuntingSolver;
using ksynth::smt::Query;
using ksynth::smt::QueryResult;
using ksynth::smt::QuerySolver;
using ksynth::smt::SatResult;
using ksynth::smt::SolverStats;

namespace {

// An inner solver that never answers: whatever comes back Sat was hunted.
class Silent : public QuerySolver {
public:
  QueryResult check(const Query &) override {
    ++calls;
    return {};
  }
  const SolverStats &stats() const override { return stats_; }
  unsigned calls = 0;

private:
  SolverStats stats_;
};

Expr in(const std::string &name) {
  return Expr::fpFromBits(Expr::bvVar(name, 32));
}

// x in [-100, 100] for every variable.
Expr ranged(const std::vector<Expr> &xs) {
  std::vector<Expr> cs;
  for (const Expr &x : xs)
    cs.push_back(x.foge(Expr::fpVal(-100.0f)) && x.fole(Expr::fpVal(100.0f)));
  return Expr::andAll(cs);
}

QueryResult hunt(const Query &q, unsigned seed) {
  auto s = makeHuntingSolver(std::make_unique<Silent>(), seed);
  return s->check(q);
}

} // namespace

TEST(HuntingSolver, FindsEveryVariableAtTheEndOfItsDeclaredRange) {
  // Satisfied only when all four inputs are above 99.9: the domain's end.
  std::vector<Expr> xs{in("x[0]"), in("x[1]"), in("x[2]"), in("x[3]")};
  std::vector<Expr> all;
  for (const Expr &x : xs)
    all.push_back(x.fogt(Expr::fpVal(99.9f)));
  Query q{{ranged(xs), Expr::andAll(all)}, "ends"};
  QueryResult r = hunt(q, 0);
  ASSERT_EQ(r.status, SatResult::Sat);
  for (const Expr &x : xs)
    EXPECT_EQ(bitsFloat(*r.model.fpBits(x)), 100.0f);
}

TEST(HuntingSolver, FindsLargeMagnitudes) {
  Expr x = in("x");
  Query q{{x.fabs().fogt(Expr::fpVal(1e20f)), !x.isInf()}, "large"};
  EXPECT_EQ(hunt(q, 0).status, SatResult::Sat);
}

TEST(HuntingSolver, FindsALargeConstantPlusJitter) {
  // Three distinct values above 500 within 1% of each other: cancellation
  // inputs.
  Expr a = in("a"), b = in("b"), c = in("c");
  auto near = [&](const Expr &u, const Expr &v) {
    return u.fsub(v).fabs().fole(a.fmul(Expr::fpVal(0.01f)));
  };
  Query q{{a.fogt(Expr::fpVal(500.0f)), near(a, b), near(b, c), near(a, c),
           !a.foeq(b), !b.foeq(c)},
          "jitter"};
  EXPECT_EQ(hunt(q, 0).status, SatResult::Sat);
}

TEST(HuntingSolver, IsDeterministicForASeed) {
  Expr x = in("x"), y = in("y");
  Query q{{x.fogt(y), y.fogt(Expr::fpVal(0.5f))}, "det"};
  QueryResult r1 = hunt(q, 3), r2 = hunt(q, 3);
  ASSERT_EQ(r1.status, SatResult::Sat);
  ASSERT_EQ(r2.status, SatResult::Sat);
  EXPECT_EQ(r1.model.fpBits(x), r2.model.fpBits(x));
  EXPECT_EQ(r1.model.fpBits(y), r2.model.fpBits(y));
}

TEST(HuntingSolver, UnsatisfiableQueriesGoToTheInnerSolver) {
  auto silent = std::make_unique<Silent>();
  Silent *inner = silent.get();
  auto s = makeHuntingSolver(std::move(silent), 0);
  Expr x = in("x");
  QueryResult r = s->check({{x.folt(x)}, "unsat"});
  EXPECT_EQ(r.status, SatResult::Unknown);
  EXPECT_EQ(inner->calls, 1u);
}
