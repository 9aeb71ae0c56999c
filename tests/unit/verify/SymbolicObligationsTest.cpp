// The discharge of the symbolic methods' race and coverage obligations
// (verify/discharge/SymbolicObligations.h): a method only produces the
// obligations (candidate pairs, coverage terms, id ranges); the discharger
// decides them, with a site standing in for the method here.
#include "verify/discharge/SymbolicObligations.h"

#include "solver/Solver.h"

#include <gtest/gtest.h>

#include <memory>

using ksynth::smt::Expr;
using namespace ksynth;
using namespace ksynth::verify;

namespace {

struct FakeMethod {
  std::unique_ptr<smt::QuerySolver> z3 = smt::makeZ3Solver(smt::SolverConfig{});
  std::vector<std::pair<std::string, UnknownKind>> unknowns;
  unsigned asked = 0;
  bool timeOut = false; // every ask answers unknown (a timeout)

  SymbolicSite site() {
    SymbolicSite s;
    s.ask = [this](const std::vector<Expr> &c, const std::string &what,
                   unsigned ms) {
      ++asked;
      if (timeOut) {
        smt::QueryResult r;
        r.status = smt::SatResult::Unknown;
        r.reason = "timeout";
        return r;
      }
      return z3->check({c, what, ms});
    };
    s.check = [this](const std::vector<Expr> &c, const std::string &what) {
      return z3->check({c, what});
    };
    s.concrete = [](const smt::Model &, const std::vector<Expr> &,
                    const std::string &obligation, const std::string &detail) {
      Counterexample cx;
      cx.obligation = obligation;
      cx.detail = detail;
      return cx;
    };
    s.at = [](Counterexample &cx, const std::string &t, int64_t flat) {
      cx.output = t;
      cx.flatIndex = flat;
    };
    s.pastDeadline = [] { return false; };
    s.noteUnknown = [this](const std::string &why, UnknownKind k) {
      unknowns.push_back({why, k});
    };
    return s;
  }
};

Expr g1() { return Expr::bvVar("gid.0", 64); }
Expr g2() { return Expr::bvVar("gid'.0", 64); }
Expr c64(uint64_t v) { return Expr::bvVal(v, 64); }
const auto kNever = std::chrono::steady_clock::time_point::max();

// Work-item g writes y[index(g)]; two distinct work-items below n.
RaceBatch writes(const Expr &index1, const Expr &index2, uint64_t n) {
  RaceBatch b;
  b.between = " between two arbitrary work-items";
  b.pre = {g1().ne(g2()), g1().ult(c64(n)), g2().ult(c64(n))};
  RaceCandidate c;
  c.cond = index1.eq(index2);
  c.index = index1;
  c.region = "y";
  c.isOutput = true;
  c.who = [](const smt::Model &m) {
    return "work-items " + std::to_string(m.bv(g1()).value_or(0)) + " and " +
           std::to_string(m.bv(g2()).value_or(0));
  };
  b.candidates.push_back(c);
  return b;
}

ObligationResult start(ObligationKind k) {
  return {toString(k), {}, "proved", "", 0, 0};
}

} // namespace

TEST(SymbolicObligations, DistinctElementsAreNoRace) {
  FakeMethod f;
  LoggedOutcome o =
      dischargeRaces(ObligationKind::WriteRace, {writes(g1(), g2(), 64)},
                     f.site(), start(ObligationKind::WriteRace));
  EXPECT_EQ(o.result.status, "proved");
  EXPECT_EQ(o.result.queries, 1u);
  EXPECT_FALSE(o.refuted);
  EXPECT_TRUE(f.unknowns.empty());
}

TEST(SymbolicObligations, ASharedElementIsARaceWithItsWorkItems) {
  FakeMethod f;
  // y[g / 2]: work-items 2k and 2k+1 write one element.
  Expr half = Expr::bvVal(2, 64);
  LoggedOutcome o = dischargeRaces(
      ObligationKind::WriteRace, {writes(g1().udiv(half), g2().udiv(half), 64)},
      f.site(), start(ObligationKind::WriteRace));
  ASSERT_TRUE(o.refuted);
  EXPECT_EQ(o.result.status, "refuted");
  EXPECT_EQ(o.refuted->obligation, "write-race");
  EXPECT_EQ(o.refuted->output, "y");
  EXPECT_NE(o.refuted->detail.find("written by work-items"), std::string::npos)
      << o.refuted->detail;
  EXPECT_EQ(o.refuted->detail.find("written and read"), std::string::npos);
}

TEST(SymbolicObligations, UndecidedRaceQueryIsATimeoutUnknown) {
  FakeMethod f;
  f.timeOut = true;
  LoggedOutcome o =
      dischargeRaces(ObligationKind::DataRace, {writes(g1(), g2(), 64)},
                     f.site(), start(ObligationKind::DataRace));
  EXPECT_EQ(o.result.status, "unknown");
  ASSERT_EQ(f.unknowns.size(), 1u);
  EXPECT_EQ(f.unknowns[0].second, UnknownKind::Timeout);
  EXPECT_NE(f.unknowns[0].first.find("data-race query between two arbitrary "
                                     "work-items"),
            std::string::npos)
      << f.unknowns[0].first;
}

TEST(SymbolicObligations, TooManyCandidatePairsIsABoundUnknown) {
  FakeMethod f;
  RaceBatch b = writes(g1(), g2(), 64);
  RaceCandidate one = b.candidates[0];
  b.candidates.resize(kMaxRaceCandidates + 1, one);
  LoggedOutcome o = dischargeRaces(ObligationKind::WriteRace, {b}, f.site(),
                                   start(ObligationKind::WriteRace));
  EXPECT_EQ(o.result.status, "unknown");
  EXPECT_EQ(f.asked, 0u);
  ASSERT_EQ(f.unknowns.size(), 1u);
  EXPECT_EQ(f.unknowns[0].second, UnknownKind::Bound);
}

namespace {

// y of n elements; work-item g < items writes y[stride * g] (always).
CoverageObligation strided(uint64_t stride, uint64_t items, int64_t n) {
  CoverageObligation ob;
  ob.output = "y";
  ob.numElems = n;
  ob.element = Expr::bvVar("cover#y", 64);
  Expr i = ob.element;
  Expr g = i.udiv(c64(stride));
  Expr covers = i.urem(c64(stride)).eq(c64(0)) && g.ult(c64(items));
  ob.uncovered = {i.ult(c64(static_cast<uint64_t>(n))), !covers};
  ob.stores = {{Expr::boolVal(true), g1().mul(c64(stride))}};
  ob.ids = {g1()};
  ob.idRange = {items};
  return ob;
}

} // namespace

TEST(SymbolicObligations, EveryElementWrittenIsCovered) {
  FakeMethod f;
  LoggedOutcome o =
      dischargeCoverage({strided(1, 64, 64)}, f.site(), Budgets{}, kNever, {});
  EXPECT_EQ(o.result.status, "proved");
  EXPECT_FALSE(o.refuted);
  // Decided by the enumeration over the ids, without the solver.
  EXPECT_EQ(f.asked, 0u);
}

TEST(SymbolicObligations, AnUnwrittenElementRefutesCoverage) {
  FakeMethod f;
  LoggedOutcome o =
      dischargeCoverage({strided(2, 32, 64)}, f.site(), Budgets{}, kNever, {});
  ASSERT_TRUE(o.refuted);
  EXPECT_EQ(o.result.status, "refuted");
  EXPECT_EQ(o.refuted->output, "y");
  EXPECT_EQ(o.refuted->flatIndex, 1); // the first element no store writes
  EXPECT_NE(o.refuted->detail.find("y[1] is never written"), std::string::npos)
      << o.refuted->detail;
}

TEST(SymbolicObligations, CoverageBeyondTheEnumerationBudgetAsksTheSolver) {
  FakeMethod f;
  Budgets b;
  b.coverageEnumFirst = b.coverageEnumMax = 1; // no enumeration
  LoggedOutcome o =
      dischargeCoverage({strided(1, 64, 64)}, f.site(), b, kNever, {});
  EXPECT_EQ(o.result.status, "proved");
  EXPECT_EQ(f.asked, 1u);
}

TEST(SymbolicObligations, IncompleteInversionIsUnsupportedNotRefuted) {
  FakeMethod f;
  Budgets b;
  b.coverageEnumFirst = b.coverageEnumMax = 1;
  CoverageObligation ob = strided(2, 32, 64);
  ob.complete = false;
  ob.why = "a store address that does not depend on the work-item id";
  LoggedOutcome o = dischargeCoverage({ob}, f.site(), b, kNever, {});
  EXPECT_FALSE(o.refuted);
  EXPECT_EQ(o.result.status, "unknown");
  ASSERT_EQ(f.unknowns.size(), 1u);
  EXPECT_EQ(f.unknowns[0].second, UnknownKind::Unsupported);
  EXPECT_NE(f.unknowns[0].first.find(ob.why), std::string::npos);
}
