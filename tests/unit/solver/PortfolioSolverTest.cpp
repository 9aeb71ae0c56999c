// The portfolio (solver/PortfolioSolver.cpp): on a hard query the members
// run at once in forked children and the first definite answer wins; a
// member that is slow is overtaken, a member that lies is caught (two
// definite answers that differ are an error naming both; a sat whose model
// Z3's evaluation rejects is never taken).
#include "solver/Expr.h"
#include "solver/Solver.h"

#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <thread>

using ksynth::smt::Expr;
using ksynth::smt::makeCvc5Solver;
using ksynth::smt::makePortfolioSolver;
using ksynth::smt::makeSolverStack;
using ksynth::smt::makeZ3Solver;
using ksynth::smt::Model;
using ksynth::smt::PortfolioMember;
using ksynth::smt::PortfolioOptions;
using ksynth::smt::Query;
using ksynth::smt::QueryResult;
using ksynth::smt::QuerySolver;
using ksynth::smt::SatResult;
using ksynth::smt::SolverConfig;
using ksynth::smt::SolverDisagreement;
using ksynth::smt::SolverStats;

namespace {

SolverConfig cfg() {
  SolverConfig c;
  c.timeoutMs = 10000;
  return c;
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

// A member that sleeps before asking the solver it wraps.
class Slow : public QuerySolver {
public:
  Slow(std::unique_ptr<QuerySolver> s, unsigned ms)
      : s_(std::move(s)), ms_(ms) {}
  QueryResult check(const Query &q) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms_));
    return s_->check(q);
  }
  const SolverStats &stats() const override { return s_->stats(); }

private:
  std::unique_ptr<QuerySolver> s_;
  unsigned ms_;
};

// A member that answers `status` at once (a sat with an empty model).
class Liar : public QuerySolver {
public:
  explicit Liar(SatResult s) : s_(s) {}
  QueryResult check(const Query &) override {
    QueryResult r;
    r.status = s_;
    r.solver = "liar";
    return r; // a sat without a model
  }
  const SolverStats &stats() const override { return stats_; }

private:
  SatResult s_;
  SolverStats stats_;
};

PortfolioOptions every(bool crossCheck = false) {
  PortfolioOptions o;
  o.timeoutMs = 10000;
  o.minNodes = 0; // every query is hard
  o.crossCheck = crossCheck;
  return o;
}

// x + y = 3.5 with y < x: sat, decided by either solver in well under 1 s.
Query fpSat() {
  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y");
  return {{x.fadd(y).foeq(Expr::fpVal(3.5f)), y.folt(x)}, "fp sat"};
}

// x * 1 differs from x (not NaN): unsat.
Query fpUnsat() {
  Expr x = Expr::fpVar("x");
  return {{x.fmul(Expr::fpVal(1.0f)).fpToBits().ne(x.fpToBits()), !x.isNaN()},
          "fp unsat"};
}

} // namespace

TEST(Portfolio, SlowMemberIsOvertakenByTheOther) {
  for (int slowFirst = 0; slowFirst < 2; ++slowFirst) {
    std::vector<PortfolioMember> m;
    std::unique_ptr<QuerySolver> z3 = makeZ3Solver(cfg());
    std::unique_ptr<QuerySolver> cvc5 = makeCvc5Solver(cfg());
    if (slowFirst)
      z3 = std::make_unique<Slow>(std::move(z3), 8000);
    else
      cvc5 = std::make_unique<Slow>(std::move(cvc5), 8000);
    m.push_back({"z3", std::move(z3)});
    m.push_back({"cvc5", std::move(cvc5)});
    auto p = makePortfolioSolver(std::move(m), every());
    for (const Query &q : {fpSat(), fpUnsat()}) {
      auto t0 = std::chrono::steady_clock::now();
      QueryResult r = p->check(q);
      EXPECT_LT(since(t0), 4.0) << q.label; // not the slow member's 8 s
      EXPECT_NE(r.status, SatResult::Unknown) << q.label << ": " << r.reason;
      EXPECT_EQ(r.solver, slowFirst ? "cvc5" : "z3") << q.label;
      EXPECT_TRUE(r.portfolio);
      if (r.status == SatResult::Sat) {
        EXPECT_EQ(r.model.boolean(Expr::andAll(q.assertions)), true);
      }
    }
    const SolverStats &st = p->stats();
    EXPECT_EQ(st.queries, 2u);
    EXPECT_EQ(st.decidedBy.at(slowFirst ? "cvc5" : "z3"), 2u);
    ASSERT_EQ(st.portfolio.size(), 2u);
    EXPECT_EQ(st.portfolio[0].label, "fp sat");
    EXPECT_EQ(st.portfolio[0].answer, "sat");
    EXPECT_EQ(st.portfolio[1].answer, "unsat");
    EXPECT_EQ(st.portfolio[1].decidedBy, slowFirst ? "cvc5" : "z3");
  }
}

// A bit-exact FP query that Z3 4.8.12 does not decide in 3 s (x + y
// against y + x; NaN bits canonicalised) and cvc5 decides in about 1 s.
TEST(Portfolio, HardForZ3IsDecidedByCvc5) {
  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y");
  Query q{{x.fadd(y).fpToBits().ne(y.fadd(x).fpToBits())}, "x+y vs y+x"};
  SolverConfig c = cfg();
  c.timeoutMs = 3000;
  c.backend = "portfolio";
  c.cache = false;
  auto alone = makeZ3Solver(c)->check(q);
  EXPECT_EQ(alone.status, SatResult::Unknown) << "Z3 got faster: pick "
                                                 "another query";
  auto s = makeSolverStack(c);
  QueryResult r = s->check(q);
  EXPECT_EQ(r.status, SatResult::Unsat) << r.reason;
  EXPECT_EQ(r.solver, "cvc5");
  EXPECT_EQ(s->stats().decidedBy.at("cvc5"), 1u);
}

TEST(Portfolio, DisagreementIsAnError) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "ksynth-portfolio-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<PortfolioMember> m;
  m.push_back({"z3", makeZ3Solver(cfg())});
  m.push_back({"liar", std::make_unique<Liar>(SatResult::Unsat)});
  PortfolioOptions o = every(/*crossCheck=*/true);
  o.dumpDir = dir.string();
  auto p = makePortfolioSolver(std::move(m), o);
  try {
    p->check(fpSat());
    FAIL() << "no error";
  } catch (const SolverDisagreement &e) {
    std::string what = e.what();
    EXPECT_NE(what.find("z3 says sat"), std::string::npos) << what;
    EXPECT_NE(what.find("liar says unsat"), std::string::npos) << what;
    EXPECT_NE(what.find("fp sat"), std::string::npos) << what;
    EXPECT_NE(what.find(dir.string()), std::string::npos) << what;
  }
  size_t files = 0;
  for (auto &f : fs::directory_iterator(dir))
    files += f.path().extension() == ".smt2";
  EXPECT_EQ(files, 1u);
  fs::remove_all(dir);
}

TEST(Portfolio, SatWithoutAValidModelIsNeverTaken) {
  // The liar says sat at once, with no model: not an answer; Z3's unsat
  // (later) is.
  std::vector<PortfolioMember> m;
  m.push_back({"liar", std::make_unique<Liar>(SatResult::Sat)});
  m.push_back({"z3", makeZ3Solver(cfg())});
  auto p = makePortfolioSolver(std::move(m), every());
  QueryResult r = p->check(fpUnsat());
  EXPECT_EQ(r.status, SatResult::Unsat) << r.reason;
  EXPECT_EQ(r.solver, "z3");
}

TEST(Portfolio, EasyQueriesGoToTheReferenceAlone) {
  std::vector<PortfolioMember> m;
  m.push_back({"z3", makeZ3Solver(cfg())});
  m.push_back({"liar", std::make_unique<Liar>(SatResult::Unsat)});
  PortfolioOptions o;
  o.minNodes = 1000;
  auto p = makePortfolioSolver(std::move(m), o);
  Expr a = Expr::bvVar("a", 32);
  QueryResult r = p->check({{a.ult(Expr::bvVal(3, 32))}, "small bv"});
  EXPECT_EQ(r.status, SatResult::Sat); // the liar was not asked
  EXPECT_EQ(r.solver, "z3");
  EXPECT_FALSE(r.portfolio);
  EXPECT_TRUE(p->stats().portfolio.empty());
  // Any rounding FP operation makes a query hard.
  QueryResult f = p->check(fpSat());
  EXPECT_TRUE(f.portfolio);
}

TEST(Portfolio, StackRecordsWhoDecided) {
  SolverConfig c = cfg();
  c.backend = "portfolio";
  c.hunt = false;
  auto s = makeSolverStack(c);
  s->check(fpSat());
  s->check(fpSat()); // a cache hit
  const SolverStats &st = s->stats();
  EXPECT_EQ(st.queries, 2u);
  EXPECT_EQ(st.decidedBy.at("cache"), 1u);
  unsigned bySolver =
      (st.decidedBy.count("z3") ? st.decidedBy.at("z3") : 0) +
      (st.decidedBy.count("cvc5") ? st.decidedBy.at("cvc5") : 0);
  EXPECT_EQ(bySolver, 1u);
  ASSERT_EQ(st.portfolio.size(), 1u); // the cache hit is not a portfolio run
  EXPECT_EQ(c.toJson()["backend"], "portfolio");
}
