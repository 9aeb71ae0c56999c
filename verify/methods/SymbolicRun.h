// The symbolic work-item and work-group methods' engine (verify/ internals):
// one run of SymbolicRun executes the kernel for one arbitrary work-item
// (or work-group) with symbolic ids and discharges what it logged. Its
// members live in SymbolicRun.cpp (queries, counterexamples, races,
// coverage, the runs), SymbolicStore.cpp (one store's leaves, rounding,
// hunting) and SymbolicEquivalence.cpp (equivalence of every store); the
// entry points are SymbolicItem.h's.
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
#include "verify/discharge/SymbolicObligations.h"
#include "verify/exec/ValueOps.h"
#include "verify/methods/ReferenceFolds.h"
#include "verify/methods/SymbolicGroup.h"
#include "verify/methods/SymbolicItem.h"
#include "verify/methods/SymbolicLeaves.h"
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

inline Expr fromDomain(const spec::Domain &d, const Expr &f) {
  if (d.kind == spec::Domain::Kind::Finite)
    return !f.isNaN() && !f.isInf();
  if (d.kind == spec::Domain::Kind::Range)
    return f.foge(Expr::fpVal(lowBound(d.lo))) &&
           f.fole(Expr::fpVal(highBound(d.hi)));
  return Expr::boolVal(true);
}

// An element value every element not named in a counterexample takes: 0.0
// when the domain allows it, else the range's nearest float to 0.
inline uint32_t defaultBitsFor(const spec::Domain &d) {
  if (d.kind != spec::Domain::Kind::Range || (d.lo <= 0 && 0 <= d.hi))
    return 0;
  return floatBits(d.lo > 0 ? lowBound(d.lo) : highBound(d.hi));
}

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
  unsigned sideQueries_ = 0; // equivalence: hunting and same-index queries
  std::vector<Fold> folds_;  // the candidate's loop summaries
  // Storing loops verified by one arbitrary iteration: the iteration
  // variable's name and a bound on it (Executor::iterationBounds).
  std::map<std::string, uint64_t> iterBounds_;
  size_t logEnd_ = 0;
  // Why the last loop summary compared was not the reference's fold
  // (foldsEqual), for the unknown verdict's reason.
  std::string foldMismatch_;
  // Whether the query that decided that mismatch timed out (then the
  // unknown's kind is timeout, not approximation).
  bool inductionTimedOut_ = false;
  std::string inductionNote() const {
    return inductionTimedOut_ ? " (the solver's query comparing it with the "
                                "reference's fold timed out)"
                              : "";
  }

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
  // A model of `conds` (and the domain) with input elements moved toward
  // readable values (0, 1, -1, 2, ...), one element at a time.
  smt::Model shrink(const std::vector<Expr> &conds, smt::Model m);
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
  // An equivalence counterexample at the store's element (from the model):
  // inputs, output and index set; values left to the caller.
  Counterexample storeDiffers(const smt::Model &m,
                              const std::vector<Expr> &conds,
                              const std::string &out, const Expr &index,
                              int64_t &e) {
    e = static_cast<int64_t>(m.bv(index).value_or(0));
    Counterexample cx =
        concrete(m, conds, "equivalence", differsText(out, e, m));
    at(cx, out, e);
    return cx;
  }
  std::string differsText(const std::string &out, int64_t e,
                          const smt::Model &m) const {
    return out + "[" + std::to_string(e) +
           "] differs from the reference (written by work-item " +
           itemText(m, g1_) + ")";
  }
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
  void afterRaces();
  bool races(bool writeWrite);
  bool groupRaces(bool writeWrite);
  bool coverage();
  bool equivalence();
  // Equivalence of one store (defined below).
  struct StoreCheck;
  SymbolicLeaves leavesOf(const StoreCheck &st, bool withPath);
  bool rounding(const StoreCheck &st, std::string &why, unsigned &queries);
  // The summation form (sum_rtol) of a store read as a linear sum over the
  // input elements (SymbolicSumForm.cpp): proved, refuted (cx), unknown
  // (a reason) or, all empty, left to the general levels.
  struct SumFormOutcome {
    bool proved = false;
    std::optional<Counterexample> cx;
    std::string unknown;
  };
  SumFormOutcome sumFormStore(const StoreCheck &st);
  // The store evaluated concretely with one element (`hot`: a leaf, or
  // none) set, every other at its domain's default, against the reference
  // interpreter, under the summation form with M from the reference's
  // weights (`refWeight(j)`, `refWeight0`); `leaf(j)` gives leaf j's
  // tensor and index term.
  std::optional<Counterexample> sumFormWitness(
      const StoreCheck &st, size_t leaves,
      const std::vector<std::optional<size_t>> &hot,
      const std::function<std::pair<std::string, Expr>(size_t)> &leaf,
      const std::function<double(size_t)> &refWeight, double refWeight0);
  // The candidate's value with every loop summary that equals a fold of the
  // reference (by induction) replaced by that fold's results.
  Expr unifyWithReference(const StoreCheck &st, const std::vector<Fold> &ref);
  // A counterexample through loop summaries: the store evaluated
  // concretely (folds update by update) at one work-item of its path on
  // uniform inputs, against the reference interpreter.
  std::optional<Counterexample> foldWitness(const StoreCheck &st,
                                            const std::vector<Fold> &ref);
  std::optional<Counterexample> confirmAt(const StoreCheck &st,
                                          const smt::Model &m, bool &exact);
  bool referenceValue(const Counterexample &cx, const std::string &out,
                      int64_t e, uint32_t &want);
  std::vector<uint32_t> huntValues(const std::string &tensor) const;
  uint32_t randomValue(const std::string &tensor, uint64_t bits,
                       bool round) const;
  std::optional<Counterexample> hunt(const StoreCheck &st, bool &exact);
  std::optional<Counterexample>
  exactCounterexample(const StoreCheck &st, const std::vector<Expr> &conds,
                      smt::Model model);
  // Equivalence of one store to an int64 output (argmax / argmin): a
  // bit-vector equality; a counterexample, or `why` where undecided.
  std::optional<Counterexample> intStore(const StoreCheck &st,
                                         ObligationResult &res,
                                         std::string &why, UnknownKind &kind);
  // A counterexample from a model of the leaf query of an int64 store:
  // the work-item and leaf values of the model, shrunk, as sparse inputs
  // (nullopt where two leaves are one element with different values), the
  // candidate's term evaluated on them and the reference interpreter's
  // index, which must differ.
  std::optional<Counterexample> leafWitness(const StoreCheck &st,
                                            const SymbolicLeaves &lv,
                                            std::vector<Expr> conds,
                                            smt::Model m);
  // The reference interpreter's int64 element `e` of `out` on `bits` (the
  // element alone, and the whole tensor where small enough: nullopt if
  // they disagree).
  std::optional<int64_t> referenceIndex(
      const std::string &out, int64_t e,
      const std::function<uint32_t(const std::string &, int64_t)> &bits);
  Expr distinct() const {
    std::vector<Expr> ne;
    for (size_t d = 0; d < g1_.size(); ++d)
      ne.push_back(g1_[d].ne(g2_[d]));
    return Expr::orAll(ne);
  }
};

struct SymbolicRun::StoreCheck {
  const SymbolicPath *path = nullptr;
  std::string out; // the output tensor
  Expr index;      // the element's flat index
  Expr c, f;       // candidate and reference values (fp32; int64 outputs: bv64)
  bool isInt = false; // an int64 output (argmax / argmin)
  Expr notLater;      // no later store of the path to that element
  const llvm::Instruction *inst = nullptr; // the store (source line)
  std::vector<Fold>
      refFolds; // the reference's folds (verify/methods/ReferenceFolds.h)
  // The candidate or the path uses an operation OpenCL lets be inexact, or
  // the reference a transcendental function: a difference the solver finds
  // must be confirmed on concrete inputs.
  bool approximate() const { return candidateApproximate() || hasFunctions(f); }
  // The candidate's side alone (native_*, cl.exp, default division, ...).
  bool candidateApproximate() const {
    return dependsOnApproximation(path->pc && notLater) ||
           dependsOnApproximation(c);
  }
};

} // namespace ksynth::verify
