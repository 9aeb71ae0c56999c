// The cvc5 back end: one fresh cvc5 solver per query, built from the
// query's Z3 terms (Cvc5Translate.h), in a forked child killed at the
// deadline and capped by RLIMIT_AS (ForkedCheck.h), as the Z3 back end
// does. Its model comes back as a Z3 model of the query's own variables,
// so counterexamples read the same with either back end; a model that Z3's
// evaluation does not accept is never a Sat.
#include "solver/Context.h"
#include "solver/Cvc5Translate.h"
#include "solver/ForkedCheck.h"
#include "solver/Solver.h"
#include "solver/Watchdog.h"

#include <chrono>

namespace ksynth::smt {

namespace {

// Checks `q` with cvc5 in this process; cvc5's own per-check limit
// (tlimit-per) is the only deadline here.
QueryResult solveWithCvc5(const Query &q, unsigned timeoutMs, unsigned seed) {
  auto start = std::chrono::steady_clock::now();
  QueryResult r;
  r.solver = "cvc5";
  try {
    cvc5::Solver s;
    s.setOption("produce-models", "true");
    s.setOption("seed", std::to_string(seed));
    if (timeoutMs)
      s.setOption("tlimit-per", std::to_string(timeoutMs));
    if (detail::needsExperimentalFP(q.assertions))
      s.setOption("fp-exp", "true");
    s.setLogic("ALL");
    detail::Cvc5Translator tr(s);
    for (const Expr &a : q.assertions)
      s.assertFormula(tr.term(a));
    for (const cvc5::Term &t : tr.sideConstraints())
      s.assertFormula(t);
    cvc5::Result res = s.checkSat();
    if (res.isSat()) {
      Z3_model m = tr.model();
      r.status = SatResult::Sat;
      r.model = Model(m, {});
      Z3_model_dec_ref(detail::ctx(), m);
    } else if (res.isUnsat()) {
      r.status = SatResult::Unsat;
    } else {
      cvc5::UnknownExplanation why = res.getUnknownExplanation();
      r.reason = why == cvc5::UnknownExplanation::TIMEOUT ||
                         why == cvc5::UnknownExplanation::RESOURCEOUT
                     ? std::string("timeout")
                 : why == cvc5::UnknownExplanation::MEMOUT
                     ? std::string("memout")
                     : "cvc5: " + res.toString();
    }
  } catch (const detail::Cvc5Unsupported &e) {
    r.status = SatResult::Unknown;
    r.reason = std::string("cvc5: unsupported ") + e.what();
    r.model = Model();
  } catch (const cvc5::CVC5ApiException &e) {
    r.status = SatResult::Unknown;
    r.reason = std::string("cvc5 error: ") + e.what();
    r.model = Model();
  }
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return r;
}

class Cvc5Solver : public QuerySolver {
public:
  explicit Cvc5Solver(const SolverConfig &cfg) : cfg_(cfg) {}

  QueryResult check(const Query &q) override {
    for (const Expr &a : q.assertions)
      KSYNTH_SMT_CHECK(a.isBool(),
                       "Cvc5Solver: assertion is not Bool in query '" +
                           q.label + "': " + a.str().substr(0, 200));
    unsigned timeoutMs = q.timeoutMs && q.timeoutMs < cfg_.timeoutMs
                             ? q.timeoutMs
                             : cfg_.timeoutMs;
    QueryResult r;
    if (cfg_.fork && timeoutMs) {
      r = detail::checkForked(
          [&] { return solveWithCvc5(q, timeoutMs, cfg_.seed); }, q, timeoutMs,
          cfg_.memoryMb, detail::ForkTuning());
    } else {
      r = solveWithCvc5(q, timeoutMs, cfg_.seed);
      // As in the child (ForkedCheck.cpp): only a model Z3 accepts is Sat.
      if (r.status == SatResult::Sat &&
          r.model.boolean(Expr::andAll(q.assertions)) !=
              std::optional<bool>(true)) {
        r.status = SatResult::Unknown;
        r.reason = "invalid model (cvc5)";
        r.model = Model();
      }
    }
    r.solver = "cvc5";
    stats_.record(r, q.label);
    return r;
  }
  const SolverStats &stats() const override { return stats_; }

private:
  SolverConfig cfg_;
  SolverStats stats_;
};

} // namespace

std::unique_ptr<QuerySolver> makeCvc5Solver(const SolverConfig &cfg) {
  return std::make_unique<Cvc5Solver>(cfg);
}

std::string cvc5Version() {
  static const std::string v = [] {
    cvc5::Solver s;
    std::string info = s.getInfo("version"); // "1.0.3" (maybe quoted)
    std::string out;
    for (char ch : info)
      if (ch != '"' && ch != ' ' && ch != '(' && ch != ')')
        out += ch;
    size_t colon = out.rfind("version");
    return colon == std::string::npos ? out : out.substr(colon + 7);
  }();
  return v;
}

} // namespace ksynth::smt
