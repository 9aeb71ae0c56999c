// The symbolic work-item and work-group methods' engine (verify/ internals):
// one run of SymbolicRun executes the kernel for one arbitrary work-item
// (or work-group) with symbolic ids and discharges what it logged. Its
// members live in SymbolicRun.cpp (queries, counterexamples, races,
// coverage, the runs) and SymbolicEquivalenceObligations.cpp (the
// equivalence obligations of every store, discharged by verify/discharge/
// SymbolicEquivalenceDischarge.h); the entry points are SymbolicItem.h's.
#pragma once

#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Reductions.h"
#include "support/Float.h"
#include "verify/core/DischargeUtil.h"
#include "verify/core/Unknown.h"
#include "verify/core/VarNames.h"
#include "verify/discharge/Discharge.h"
#include "verify/discharge/LoggedViolations.h"
#include "verify/discharge/ModelShrink.h"
#include "verify/discharge/SymbolicEquivalenceDischarge.h"
#include "verify/discharge/SymbolicObligations.h"
#include "verify/exec/ValueOps.h"
#include "verify/methods/ReferenceFolds.h"
#include "verify/methods/SymbolicGroup.h"
#include "verify/methods/SymbolicItem.h"
#include "verify/numerics/IntervalEval.h"
#include "verify/numerics/SymbolicReference.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <llvm/IR/Function.h>
#include <map>
#include <random>
#include <set>

namespace ksynth::verify {

using smt::Expr;

inline std::string u64(uint64_t v) { return std::to_string(v); }

// Budgets (hunting, shrinking, side queries, coverage enumeration):
// opts_.budgets (verify/core/Budgets.h).

class SymbolicRun {
public:
  SymbolicRun(const spec::Spec &s, ShapeRun &run, const VerifyOptions &o,
              smt::QuerySolver &solver, std::vector<ObligationResult> &res,
              SymbolicOutcome &out)
      : s_(s), run_(run), opts_(o), solver_(solver), results_(res), out_(out) {}

  void go(Executor &ex, const llvm::Function &kernel,
          const std::vector<Val> &args, const Geometry &geom,
          const std::string &label);
  // The symbolic work-group method (verify/methods/SymbolicGroup.h).
  void goGroup(Executor &ex, const llvm::Function &kernel,
               const std::vector<Val> &args, const Geometry &geom,
               const std::vector<LocalArg> &localArgs,
               const std::string &label);

private:
  const spec::Spec &s_;
  ShapeRun &run_;
  const VerifyOptions &opts_;
  smt::QuerySolver &solver_;
  std::vector<ObligationResult> &results_;
  SymbolicOutcome &out_;
  Geometry geom_;
  std::string label_;
  std::vector<SymbolicPath> one_, two_;
  std::vector<Expr> g1_, g2_;
  std::vector<SymbolicNote> notes_;
  // The work-group method: g1_/g2_ are the two runs' group ids, one_ the
  // first run's store paths (groupStorePaths).
  bool group_ = false;
  SymbolicGroupRun ga_, gb_;
  // Per NDRange dim, the range of g1_: global size, or number of groups.
  std::vector<uint64_t> idRange_;
  // The work-group method: the group ids' ranges, which the executor's
  // violations leave out (ask() adds them).
  Expr ranges_;
  std::vector<Fold> folds_; // the candidate's loop summaries
  // Storing loops verified by one arbitrary iteration: the iteration
  // variable's name and a bound on it (Executor::iterationBounds).
  std::map<std::string, uint64_t> iterBounds_;
  size_t logEnd_ = 0;

  void noteUnknown(const std::string &why, UnknownKind k) {
    if (out_.unknownReason.empty()) {
      out_.unknownReason = why + " at " + shapeLabel(run_.shape);
      out_.unknownKind = toString(k);
    }
  }
  bool pastDeadline() {
    if (std::chrono::steady_clock::now() <= opts_.limits.deadline)
      return false;
    noteUnknown("verification deadline reached before every obligation was "
                "discharged",
                UnknownKind::Timeout);
    return true;
  }
  Expr domain(const std::vector<Expr> &conds) const;
  smt::QueryResult ask(const std::vector<Expr> &conds, const std::string &what,
                       unsigned timeoutMs = 0);
  std::string itemText(const smt::Model &m, const std::vector<Expr> &g) const;
  std::string idsText(const smt::Model &m, const std::vector<Expr> &g) const;
  // A counterexample's inputs: each 0-d input's bits from `scalar(name,
  // variable)`, every tensor sparse with `background(name)` for the
  // elements not listed.
  std::map<std::string, TensorBits> sparseInputs(
      const std::function<uint64_t(const std::string &, const Expr &)> &scalar,
      const std::function<uint32_t(const std::string &)> &background) const;
  // ... with the model's 0-d inputs and the domains' default values.
  std::map<std::string, TensorBits> sparseInputs(const smt::Model &m) const {
    return sparseInputs(
        [&](const std::string &, const Expr &v) { return m.bv(v).value_or(0); },
        [&](const std::string &t) { return defaultBitsFor(s_.domainOf(t)); });
  }
  Counterexample concrete(const smt::Model &m, const std::vector<Expr> &conds,
                          const std::string &obligation,
                          const std::string &detail);
  void finish(ObligationResult &r, std::chrono::steady_clock::time_point t0) {
    r.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    results_.push_back(r);
  }
  const Region *regionOf(int id) const { return &run_.mem.at(id); }
  // Names output element `flat` of `tensor` in the counterexample.
  void at(Counterexample &cx, const std::string &tensor, int64_t flat) const {
    cx.output = tensor;
    cx.flatIndex = flat;
    const std::vector<int64_t> &dims = run_.types.at(tensor).dims;
    cx.index.assign(dims.size(), 0);
    for (size_t d = dims.size(); d-- > 0;) {
      cx.index[d] = flat % dims[d];
      flat /= dims[d];
    }
  }
  bool logged(ObligationKind k);
  // What the discharger needs of this run (SymbolicObligations.h), and
  // recording what it decided (true: the run stops).
  SymbolicSite site();
  bool record(LoggedOutcome o);
  bool certainAfterStop();
  // The run's part of the one order (dischargeSymbolicInOrder), with the
  // method's races.
  SymbolicSteps steps(std::function<bool(bool ww)> races);
  bool races(bool writeWrite);
  bool groupRaces(bool writeWrite);
  bool coverage();
  bool equivalence();
  // The equivalence obligations of every store of the paths, streamed to
  // the discharger (SymbolicEquivalenceObligations.cpp).
  EquivalenceSite equivalenceSite();
  Expr distinct() const {
    std::vector<Expr> ne;
    for (size_t d = 0; d < g1_.size(); ++d)
      ne.push_back(g1_[d].ne(g2_[d]));
    return Expr::orAll(ne);
  }
};

} // namespace ksynth::verify
