// Queries and the stack of solvers that answer them (KLEE-style: each
// feature is a wrapper around one interface).
//
//   makeSolverStack(cfg) = Dumping(Caching(Hunting(B)))
//   B = Z3 | cvc5 | Portfolio(Z3, cvc5)     (SolverConfig::backend)
//
// Caching canonicalises a query by renaming its variables in first-occurrence
// order, so the same question about x[3] and about x[7] is solved once.
#pragma once

#include "solver/Expr.h"
#include "solver/SolverConfig.h"

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

typedef struct _Z3_model *Z3_model;

namespace ksynth::smt {

// A satisfying assignment. Evaluates any Expr over the query's variables
// (variables the query did not mention get their default: 0 / +0 / false).
class Model {
public:
  Model() = default;
  Model(Z3_model m, std::vector<std::pair<Expr, Expr>> rename);
  Model(const Model &);
  Model &operator=(const Model &);
  ~Model();
  bool isNull() const { return model_ == nullptr; }
  Expr eval(const Expr &e) const; // a numeral (model completion on)
  std::optional<uint64_t> bv(const Expr &e) const;
  std::optional<uint32_t> fpBits(const Expr &e) const;
  std::optional<bool> boolean(const Expr &e) const;
  // The same assignment, for a query whose variables are the firsts of
  // `rename` while this model speaks of the seconds (solver/ internals: the
  // cache answers a renamed query with the model of its canonical form).
  Model withRename(std::vector<std::pair<Expr, Expr>> rename) const;
  // The Z3 model, without the renaming (solver/ internals only).
  Z3_model raw() const { return model_; }

private:
  Z3_model model_ = nullptr;
  // original variable -> variable the model speaks of (from Caching).
  std::vector<std::pair<Expr, Expr>> rename_;
};

enum class SatResult { Sat, Unsat, Unknown };

struct Query {
  std::vector<Expr> assertions; // conjunction
  std::string label;            // shown in dumps and stats ("equiv y[3] N=67")
  unsigned timeoutMs = 0;       // 0: SolverConfig's; else the smaller of both
};

struct QueryResult {
  SatResult status = SatResult::Unknown;
  std::string reason; // for Unknown: "timeout", "memout", "canceled", ...
  Model model;        // for Sat only
  double seconds = 0; // wall time spent solving (0 for a cache hit)
  bool cached = false;
  // Who answered: "z3", "cvc5", "hunt" (a concrete assignment); for a cache
  // hit, the solver that answered the first time.
  std::string solver;
  bool portfolio = false; // decided by the portfolio (PortfolioSolver.cpp)
};

// One query that went to the portfolio (PortfolioSolver.cpp), for reports.
struct PortfolioQuery {
  std::string label;
  std::string answer;    // sat | unsat | unknown
  std::string decidedBy; // the member whose answer was taken ("" if none)
  double seconds = 0;
};

struct SolverStats {
  unsigned queries = 0;
  unsigned cacheHits = 0;
  unsigned sat = 0, unsat = 0, unknown = 0;
  double solverSeconds = 0;
  // Definite (sat/unsat) answers by who gave them: "z3", "cvc5", "hunt",
  // "cache" (a cache hit).
  std::map<std::string, unsigned> decidedBy;
  // The portfolio's queries (first 1000), in order.
  std::vector<PortfolioQuery> portfolio;

  // Counts one answered query (`label`: the query's, for the portfolio log).
  void record(const QueryResult &r, const std::string &label = "") {
    ++queries;
    cacheHits += r.cached ? 1 : 0;
    solverSeconds += r.seconds;
    sat += r.status == SatResult::Sat ? 1 : 0;
    unsat += r.status == SatResult::Unsat ? 1 : 0;
    unknown += r.status == SatResult::Unknown ? 1 : 0;
    if (r.status != SatResult::Unknown)
      ++decidedBy[r.cached           ? std::string("cache")
                  : r.solver.empty() ? std::string("other")
                                     : r.solver];
    if (r.portfolio && !r.cached && portfolio.size() < 1000)
      portfolio.push_back({label,
                           r.status == SatResult::Sat     ? "sat"
                           : r.status == SatResult::Unsat ? "unsat"
                                                          : "unknown",
                           r.status == SatResult::Unknown ? "" : r.solver,
                           r.seconds});
  }
};

class QuerySolver {
public:
  virtual ~QuerySolver() = default;
  virtual QueryResult check(const Query &q) = 0;
  virtual const SolverStats &stats() const = 0;
};

// Z3, one fresh solver per query, with SolverConfig's seed/timeout/memory.
// The deadline is enforced from outside Z3 (Z3's own timeout was seen to
// overrun by 40 s): by default (SolverConfig::fork) each check runs in a
// forked child that is SIGKILLed at the deadline ("timeout (killed)") and
// capped by RLIMIT_AS (ForkedZ3.h); without fork, a watchdog thread
// interrupts Z3, which Z3 does not always honour.
std::unique_ptr<QuerySolver> makeZ3Solver(const SolverConfig &cfg);
// cvc5 (1.0.x), one fresh solver per query, from the query's Z3 terms; the
// same deadline, memory cap (forked child) and model form as Z3's.
std::unique_ptr<QuerySolver> makeCvc5Solver(const SolverConfig &cfg);

// The portfolio (solver/PortfolioSolver.cpp): hard queries to every member
// at once, each in a forked child; the first definite answer wins, the
// others are killed. Easy queries go to the first member alone.
struct PortfolioMember {
  std::string name; // "z3", "cvc5": recorded as QueryResult::solver
  std::unique_ptr<QuerySolver> solver;
};
struct PortfolioOptions {
  unsigned timeoutMs = 20000; // as SolverConfig::timeoutMs
  unsigned memoryMb = 4096;   // per member child
  // Queries with at least this many distinct subterms, or with a rounding
  // FP operation, are hard; 0: every query.
  unsigned minNodes = 2000;
  bool crossCheck = false;    // wait for every member and compare
  unsigned backstopMs = 2000; // members past their deadline by this: killed
  std::string dumpDir;        // where a disagreement's query is written
};
// Two members answered sat and unsat: a solver bug (the message names both
// answers and where the query was written). Not a verification outcome.
struct SolverDisagreement : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::unique_ptr<QuerySolver>
makePortfolioSolver(std::vector<PortfolioMember> members,
                    const PortfolioOptions &opts);
// The bottom of the stack that SolverConfig::backend selects.
std::unique_ptr<QuerySolver> makeBackend(const SolverConfig &cfg);

std::unique_ptr<QuerySolver> makeCachingSolver(std::unique_ptr<QuerySolver> s);
// Tries `tries` concrete assignments (seeded) before asking the inner solver;
// a satisfying one is returned as Sat (checked by Z3's evaluator).
std::unique_ptr<QuerySolver> makeHuntingSolver(std::unique_ptr<QuerySolver> s,
                                               unsigned seed,
                                               unsigned tries = 32);
// Writes every query to DIR/q<NNNN>.smt2 (label and config as comments).
std::unique_ptr<QuerySolver> makeDumpingSolver(std::unique_ptr<QuerySolver> s,
                                               const std::string &dir);
std::unique_ptr<QuerySolver> makeSolverStack(const SolverConfig &cfg);
// The query of an SMT-LIB2 script such as --dump-smt writes (its asserts;
// the solver benchmark reads dumped queries back). Throws
// std::runtime_error with Z3's message if the script does not parse.
Query parseQueryScript(const std::string &script, const std::string &label);

// "4.8.12"
std::string z3Version();
// "1.0.3"
std::string cvc5Version();

} // namespace ksynth::smt
