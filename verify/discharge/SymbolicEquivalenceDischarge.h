// The equivalence obligations a symbolic method (one arbitrary work-item,
// one arbitrary work-group: verify/methods/) produces, one per store of a
// path to an output, and their discharge (issue 11 item 1: the method
// produces, the discharger owns the levels, their order, the concrete
// hunting, the solver queries, shrinking, the unknown reasons and the
// counterexamples with their replay through the reference interpreter).
//
// Levels, per store: structural (the same term, up to the symmetry of
// commutative operations and, with a tensor op, reads at equal indices as
// one leaf), loop summaries unified with the reference's folds (by
// induction; else concrete evaluation of both), rounding (the
// enumeration's rounding level on the input leaves), then per path
// bit-exact (every open store at once, then one by one: hunting, the
// bit-level query, a model confirmed concretely or shrunk and replayed).
// int64 outputs (argmax / argmin): a bit-vector equality per store.
//
// The method streams its obligations in order (store() per store of a
// path, endPath() after its last store, finish() after the last path), so
// that the discharge interleaves with the production exactly as the
// method's paths are walked: the first refutation stops the run.
#pragma once

#include "solver/Solver.h"
#include "spec/Interpreter.h"
#include "spec/Spec.h"
#include "support/Float.h"
#include "verify/core/DischargeUtil.h"
#include "verify/core/SourceLoc.h"
#include "verify/core/Unknown.h"
#include "verify/core/Verdict.h"
#include "verify/core/VerifyOptions.h"
#include "verify/discharge/LoggedViolations.h"
#include "verify/discharge/ShapeRun.h"
#include "verify/discharge/SymbolicLeaves.h"
#include "verify/discharge/SymbolicObligations.h"
#include "verify/numerics/Fold.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ksynth::verify {

// A float in the input domain `d` (`f`: fp32).
inline smt::Expr fromDomain(const spec::Domain &d, const smt::Expr &f) {
  if (d.kind == spec::Domain::Kind::Finite)
    return !f.isNaN() && !f.isInf();
  if (d.kind == spec::Domain::Kind::Range)
    return f.foge(smt::Expr::fpVal(lowBound(d.lo))) &&
           f.fole(smt::Expr::fpVal(highBound(d.hi)));
  return smt::Expr::boolVal(true);
}

// An element value every element not named in a counterexample takes: 0.0
// when the domain allows it, else the range's nearest float to 0.
inline uint32_t defaultBitsFor(const spec::Domain &d) {
  if (d.kind != spec::Domain::Kind::Range || (d.lo <= 0 && 0 <= d.hi))
    return 0;
  return floatBits(d.lo > 0 ? lowBound(d.lo) : highBound(d.hi));
}

// One store of a path to an output element: the candidate's value against
// the reference's at that element.
// A counterexample's inputs for a symbolic method's run: each 0-d input's
// bits from `scalar(name, variable)`, every tensor sparse with
// `background(name)` for the elements not listed.
std::map<std::string, TensorBits> sparseInputBits(
    const spec::Spec &s, const ShapeRun &run,
    const std::function<uint64_t(const std::string &, const smt::Expr &)>
        &scalar,
    const std::function<uint32_t(const std::string &)> &background);

struct EquivalenceObligation {
  smt::Expr pc;       // the store's path condition
  std::string out;    // the output tensor
  smt::Expr index;    // the element's flat index
  smt::Expr c, f;     // candidate and reference values (fp32; int64: bv64)
  bool isInt = false; // an int64 output (argmax / argmin)
  smt::Expr notLater; // no later store of the path to that element
  SourceLoc location; // the store (a refutation's location)
  std::vector<Fold> refFolds; // the reference's folds (its long reductions)
  // Under the summation form, where refFolds is not empty: the reference
  // built without folds (a linear sum has no loop summary to meet them).
  smt::Expr fUnfolded;
  // The candidate or the path uses an operation OpenCL lets be inexact, or
  // the reference a transcendental function: a difference the solver finds
  // must be confirmed on concrete inputs.
  bool approximate() const { return candidateApproximate() || hasFunctions(f); }
  // The candidate's side alone (native_*, cl.exp, default division, ...).
  bool candidateApproximate() const {
    return dependsOnApproximation(pc && notLater) || dependsOnApproximation(c);
  }
};

// What a symbolic method supplies to the discharge of its equivalence
// obligations, beyond SymbolicSite's queries and counterexamples.
struct EquivalenceSite {
  SymbolicSite base;
  // The input domain of the inputs `conds` read.
  std::function<smt::Expr(const std::vector<smt::Expr> &conds)> domain;
  // The work-item (or work-group) ids (a model's values name who stored).
  std::vector<smt::Expr> ids;
  // Who stored, from a model ("3", "(1,2)", "in work-group 7").
  std::function<std::string(const smt::Model &m)> itemText;
  // The candidate's loop summaries.
  std::vector<Fold> folds;
  // The reference interpreter's element `flat` of `tensor` with inputs
  // `bits(tensor, flat)`: its value (float32 or int64) and float32 bits.
  using Bits = std::function<uint32_t(const std::string &, int64_t)>;
  std::function<spec::Scalar(const std::string &tensor, int64_t flat,
                             const Bits &bits)>
      referenceValueAt;
  std::function<uint32_t(const std::string &tensor, int64_t flat,
                         const Bits &bits)>
      referenceAt;
  // Approximations the discharge relied on (the verdict lists them).
  std::set<std::string> *approximations = nullptr;
};

class EquivalenceDischarger {
public:
  EquivalenceDischarger(const spec::Spec &s, ShapeRun &run,
                        const VerifyOptions &o, smt::QuerySolver &solver,
                        EquivalenceSite site);

  // A store of the current path, in order: structural, loop summaries and
  // rounding now (int64 outputs decided now), else left open for the
  // path's bit-exact level. True: the run stops (outcome()).
  bool store(EquivalenceObligation st);
  // A store the method could not state as an obligation (unknown).
  void unsupported(const std::string &why, UnknownKind k) { unknown(why, k); }
  // After the path's last store: the bit-exact level on its open stores.
  bool endPath();
  // After the last path: the obligation's result (proved or unknown).
  LoggedOutcome finish();
  // Where store() or endPath() stopped the run: refuted (result and
  // counterexample) or the deadline (stopped).
  LoggedOutcome outcome() { return std::move(outcome_); }
  // A query the method asked for a term of an obligation (the reference's
  // branches): counted with the obligation's queries.
  void sideQuery() { ++sideQueries_; }

private:
  const spec::Spec &s_;
  ShapeRun &run_;
  const VerifyOptions &opts_;
  smt::QuerySolver &solver_;
  EquivalenceSite site_;
  const std::vector<smt::Expr> &g1_;
  const std::vector<Fold> &folds_;
  ObligationResult res_;
  std::chrono::steady_clock::time_point t0_;
  std::string roundingNote_;
  bool tensorOps_ = false;
  std::vector<EquivalenceObligation> open_; // the path's bit-exact stores
  LoggedOutcome outcome_;
  unsigned sideQueries_ = 0; // hunting, same-index, fold and shrink queries
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

  void level(const std::string &l) {
    if (l == "bit-exact" || res_.level == "structural")
      res_.level = l;
  }
  bool refuted(Counterexample cx, const EquivalenceObligation &st);
  void unknown(const std::string &why, UnknownKind k) {
    res_.status = "unknown";
    noteUnknown(why + (roundingNote_.empty() ? "" : "; " + roundingNote_), k);
  }
  void noteUnknown(const std::string &why, UnknownKind k) {
    site_.base.noteUnknown(why, k);
  }
  bool pastDeadline() { return site_.base.pastDeadline(); }
  smt::QueryResult ask(const std::vector<smt::Expr> &conds,
                       const std::string &what, unsigned timeoutMs = 0) {
    return site_.base.ask(conds, what, timeoutMs);
  }
  smt::Expr domain(const std::vector<smt::Expr> &conds) const {
    return site_.domain(conds);
  }
  std::string itemText(const smt::Model &m,
                       const std::vector<smt::Expr> &) const {
    return site_.itemText(m);
  }
  void at(Counterexample &cx, const std::string &t, int64_t flat) const {
    site_.base.at(cx, t, flat);
  }
  // A work-item (work-group) that takes the store's path, id 0 first: the
  // model, and `ids` each id variable with its value (nullopt: none).
  std::optional<smt::Model>
  itemOnPath(const EquivalenceObligation &st, const std::string &what,
             std::vector<std::pair<smt::Expr, smt::Expr>> &ids);
  // A model of `conds` (and the domain) with input elements moved toward
  // readable values (0, 1, -1, 2, ...), one element at a time.
  smt::Model shrink(const std::vector<smt::Expr> &conds, smt::Model m);
  // A counterexample's inputs: each 0-d input's bits from `scalar(name,
  // variable)`, every tensor sparse with `background(name)` for the
  // elements not listed ...
  std::map<std::string, TensorBits> sparseInputs(
      const std::function<uint64_t(const std::string &, const smt::Expr &)>
          &scalar,
      const std::function<uint32_t(const std::string &)> &background) const;
  // ... with the model's 0-d inputs and the domains' default values.
  std::map<std::string, TensorBits> sparseInputs(const smt::Model &m) const;
  // An equivalence counterexample at the store's element (from the model):
  // inputs, output and index set; values left to the caller.
  Counterexample storeDiffers(const smt::Model &m,
                              const std::vector<smt::Expr> &conds,
                              const std::string &out, const smt::Expr &index,
                              int64_t &e);
  std::string differsText(const std::string &out, int64_t e,
                          const smt::Model &m) const {
    return out + "[" + std::to_string(e) +
           "] differs from the reference (written by work-item " +
           itemText(m, g1_) + ")";
  }

  // verify/discharge/SymbolicStoreDischarge.cpp: one store's leaves, the
  // rounding level, concrete confirmation and hunting.
  SymbolicLeaves leavesOf(const EquivalenceObligation &st, bool withPath);
  bool rounding(const EquivalenceObligation &st, std::string &why,
                unsigned &queries);
  std::optional<Counterexample> confirmAt(const EquivalenceObligation &st,
                                          const smt::Model &m, bool &exact);
  bool referenceValue(const Counterexample &cx, const std::string &out,
                      int64_t e, uint32_t &want);
  std::vector<uint32_t> huntValues(const std::string &tensor) const;
  uint32_t randomValue(const std::string &tensor, uint64_t bits,
                       bool round) const;
  std::optional<Counterexample> hunt(const EquivalenceObligation &st,
                                     bool &exact);

  // verify/discharge/SymbolicEquivalenceDischarge.cpp: loop summaries and
  // bit-exact counterexamples.
  // The candidate's value with every loop summary that equals a fold of the
  // reference (by induction) replaced by that fold's results.
  smt::Expr unifyWithReference(const EquivalenceObligation &st,
                               const std::vector<Fold> &ref);
  // A counterexample through loop summaries: the store evaluated
  // concretely (folds update by update) at one work-item of its path on
  // uniform inputs, against the reference interpreter.
  std::optional<Counterexample> foldWitness(const EquivalenceObligation &st,
                                            const std::vector<Fold> &ref);
  std::optional<Counterexample>
  exactCounterexample(const EquivalenceObligation &st,
                      const std::vector<smt::Expr> &conds, smt::Model model);

  // verify/discharge/SymbolicSumFormDischarge.cpp: a store under the
  // summation form (sum_rtol) read as a linear sum over the input elements:
  // proved, refuted (cx), unknown (a reason) or, all empty, left to the
  // general levels.
  struct SumFormOutcome {
    bool proved = false;
    std::optional<Counterexample> cx;
    std::string unknown;
  };
  SumFormOutcome sumFormStore(const EquivalenceObligation &st);
  // The store evaluated concretely with one element (`hot`: a leaf, or
  // none) set, every other at its domain's default, against the reference
  // interpreter, under the summation form with M from the reference's
  // weights (`refWeight(j)`, `refWeight0`); `leaf(j)` gives leaf j's
  // tensor and index term.
  std::optional<Counterexample> sumFormWitness(
      const EquivalenceObligation &st, size_t leaves,
      const std::vector<std::optional<size_t>> &hot,
      const std::function<std::pair<std::string, smt::Expr>(size_t)> &leaf,
      const std::function<double(size_t)> &refWeight, double refWeight0);

  // verify/discharge/SymbolicIntStore.cpp: int64 outputs.
  // Equivalence of one store to an int64 output (argmax / argmin): a
  // bit-vector equality; a counterexample, or `why` where undecided.
  std::optional<Counterexample> intStore(const EquivalenceObligation &st,
                                         ObligationResult &res,
                                         std::string &why, UnknownKind &kind);
  // A counterexample from a model of the leaf query of an int64 store:
  // the work-item and leaf values of the model, shrunk, as sparse inputs
  // (nullopt where two leaves are one element with different values), the
  // candidate's term evaluated on them and the reference interpreter's
  // index, which must differ.
  std::optional<Counterexample> leafWitness(const EquivalenceObligation &st,
                                            const SymbolicLeaves &lv,
                                            std::vector<smt::Expr> conds,
                                            smt::Model m);
  // The reference interpreter's int64 element `e` of `out` on `bits` (the
  // element alone, and the whole tensor where small enough: nullopt if
  // they disagree).
  std::optional<int64_t> referenceIndex(
      const std::string &out, int64_t e,
      const std::function<uint32_t(const std::string &, int64_t)> &bits);
};

} // namespace ksynth::verify
