// The discharger: the one place that turns what a verification method
// logged for a shape (violations and equivalence items in a ShapeRun) into
// obligation results, in the fixed priority order (memory safety, undefined
// behaviour, inputs unmodified, races, uninitialised reads, coverage,
// equivalence by level), with concrete hunting, solver queries, robust
// refutation through approximations and counterexample assembly.
#pragma once

#include "solver/Solver.h"
#include "spec/Spec.h"
#include "verify/core/Obligation.h"
#include "verify/core/Verdict.h"
#include "verify/core/VerifyOptions.h"
#include "verify/discharge/ShapeRun.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::verify {

// Discharges the run's violations and equivalence items in priority order.
// Appends obligation results; returns a counterexample when one is found.
// Sets `unknownReason` when some query could not be decided.
struct Discharger {
  Discharger(const spec::Spec &s, const VerifyOptions &o, smt::QuerySolver &sol,
             std::vector<ObligationResult> &res, std::string reason = "",
             std::string kind = "")
      : spec(s), opts(o), solver(sol), results(res),
        unknownReason(std::move(reason)), unknownKind(std::move(kind)) {}

  const spec::Spec &spec;
  const VerifyOptions &opts;
  smt::QuerySolver &solver;
  std::vector<ObligationResult> &results;
  std::string unknownReason, unknownKind;
  std::string roundingNote; // why the rounding level did not apply, if not

  std::optional<Counterexample> run(ShapeRun &r);
  // After a run stopped early (unroll or path bound, deadline, unsupported
  // construct): the violations already logged on the paths executed so far
  // are certain whatever happens later on those paths, so a satisfiable one
  // is a refutation. Coverage and equivalence need the whole run and are not
  // checked; nothing is recorded as proved (only a refuted obligation).
  std::optional<Counterexample> runCertain(ShapeRun &r);

  // Level "rounding": equal as real functions, and the forward error bounds
  // of both sides fit the spec's tolerance over the declared domain. Input
  // leaves are FromBits of bv32 variables whose baseName is an input of
  // `r` ("x[3]", or "x[@0]" for an array read at one arbitrary work-item's
  // index, verify/discharge/SymbolicLeaves.h); each variable ranges over the
  // whole domain box, independently of the others.
  bool provedUpToRounding(ShapeRun &r, const smt::Expr &c, const smt::Expr &f,
                          std::string &why, unsigned &queries);

private:
  // The logged violations of `kinds`, in that order: the first refuted one's
  // counterexample; `partial`: results recorded only for a refutation.
  std::optional<Counterexample>
  dischargeLogged(ShapeRun &r, const std::vector<ObligationKind> &kinds,
                  bool partial);
  // Whether the whole-verification deadline has passed (then notes unknown).
  bool pastDeadline();

  // A difference the solver found through approximate operations ("cl.exp"),
  // confirmed on its concrete inputs for every value those operations may
  // return within their ulp bounds; nullopt if it cannot be.
  std::optional<Counterexample>
  confirmDespiteApproximation(ShapeRun &r, const EquivItem &item,
                              const smt::Model &model);
  std::optional<Counterexample> huntRobustly(ShapeRun &r,
                                             const EquivItem &item);
  std::optional<Counterexample>
  confirmRobustly(ShapeRun &r, const EquivItem &item,
                  const std::function<uint64_t(const smt::Expr &)> &valueOf);

  std::optional<Counterexample> refute(ShapeRun &r, const std::string &name,
                                       const smt::Expr &cond,
                                       const std::string &detail,
                                       const std::string &tensor, int64_t index,
                                       const EquivItem *eq);
};

} // namespace ksynth::verify
