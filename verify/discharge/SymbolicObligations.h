// The obligations a symbolic method (one arbitrary work-item, one arbitrary
// work-group: verify/methods/) produces for races and coverage, and their
// discharge (issue 11 item 1: the methods produce, the discharger owns the
// order of the queries, the concrete enumeration, the solver queries, the
// unknown reasons and the counterexample's text). What differs between the
// methods (the input domain and id ranges a query carries, how a model
// becomes concrete inputs) is the SymbolicSite a method passes in.
#pragma once

#include "solver/Solver.h"
#include "spec/Spec.h"
#include "verify/core/Budgets.h"
#include "verify/core/Obligation.h"
#include "verify/core/SourceLoc.h"
#include "verify/core/Unknown.h"
#include "verify/core/Verdict.h"
#include "verify/discharge/CoverageEnum.h"
#include "verify/discharge/LoggedViolations.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ksynth::verify {

// What a symbolic method supplies to the discharge of its obligations.
struct SymbolicSite {
  // The query "conds hold" with the method's input domain and id ranges
  // (`what` names it; timeoutMs 0: the configured per-query timeout).
  std::function<smt::QueryResult(const std::vector<smt::Expr> &conds,
                                 const std::string &what, unsigned timeoutMs)>
      ask;
  // A plain query through the configured stack (no domain, no ranges).
  std::function<smt::QueryResult(const std::vector<smt::Expr> &conds,
                                 const std::string &what)>
      check;
  // A counterexample from a model of `conds`: inputs (sparse, elements from
  // the conditions' reads) and the implementation-choice flag.
  std::function<Counterexample(
      const smt::Model &m, const std::vector<smt::Expr> &conds,
      const std::string &obligation, const std::string &detail)>
      concrete;
  // Names output element `flat` of `tensor` in a counterexample.
  std::function<void(Counterexample &cx, const std::string &tensor,
                     int64_t flat)>
      at;
  std::function<bool()> pastDeadline;
  std::function<void(const std::string &why, UnknownKind k)> noteUnknown;
};

// ---- races ----

// One pair of accesses (a write, and a write or a read) that may reach one
// element.
struct RaceCandidate {
  smt::Expr cond;        // both reach the same element
  smt::Expr index;       // that element (the write's index)
  std::string region;    // the buffer's name
  bool isOutput = false; // an output tensor: the counterexample names it
  // The two accesses in the kernel's source (the counterexample's
  // location and other_location).
  SourceLoc location, other;
  // Who made the two accesses, from a model ("work-items 3 and 5 of k").
  std::function<std::string(const smt::Model &)> who;
};

// Candidates asked as one disjunction, with the method's conditions
// (`pre` before the disjunction, `post` after it).
struct RaceBatch {
  std::vector<smt::Expr> pre, post;
  std::vector<RaceCandidate> candidates;
  // For the reasons: " between two arbitrary work-items", ...
  std::string between;
  // The query's label (empty: the kind's name and `between`).
  std::string what;
};

// More candidate pairs than one batch asks (then unknown, kind bound).
inline constexpr size_t kMaxRaceCandidates = size_t(1) << 16;

// Write-write (kind WriteRace) or write-read (DataRace) races: the batches
// in order, the first satisfiable one a refutation. `res` is the result so
// far (status and queries of the kind's logged violations, if any).
LoggedOutcome dischargeRaces(ObligationKind kind,
                             const std::vector<RaceBatch> &batches,
                             const SymbolicSite &site, ObligationResult res);

// ---- coverage ----

// Every element of one output written: `uncovered` says that element
// `element` (< numElems) is written by no store. `complete`: a model of it
// is an unwritten element (else `why` not). Stores whose terms are
// functions of `ids` alone are also run concretely over [0, idRange).
struct CoverageObligation {
  std::string output;
  int64_t numElems = 0;
  smt::Expr element;
  std::vector<smt::Expr> uncovered;
  bool complete = true;
  std::string why;
  // Where some store is not at the affine address the inversion assumed
  // (complete only if none is).
  std::vector<smt::Expr> notAffine;
  std::vector<StoreTerms> stores;
  std::vector<smt::Expr> ids;
  std::vector<uint64_t> idRange;
};

// The outputs in order; the first unwritten element is a refutation.
LoggedOutcome dischargeCoverage(const std::vector<CoverageObligation> &obls,
                                const SymbolicSite &site,
                                const Budgets &budgets,
                                std::chrono::steady_clock::time_point deadline,
                                const spec::ShapeBinding &shape);

// ---- the order ----

// What a symbolic method supplies to discharge its obligations in the one
// order (docs/verdict-format.md "Order"): each callback discharges one
// kind from what the method produced and says whether the run stops there
// (refuted, or undecided in a way that stops it).
struct SymbolicSteps {
  // The violations the executor logged of kind k (memory safety,
  // undefined behaviour, input modified, uninitialised reads).
  std::function<bool(ObligationKind k)> logged;
  // Write races (ww) or data races.
  std::function<bool(bool ww)> races;
  // More potential violations were logged than are checked.
  std::function<bool()> capped;
  std::function<bool()> coverage;
  std::function<void()> equivalence;
  std::function<void(const std::string &why, UnknownKind k)> noteUnknown;
};

// The obligations from `first` (MemorySafety for one arbitrary work-item,
// UndefinedBehaviour for one arbitrary work-group, whose memory safety is
// decided before) to equivalence, in the enum's order: logged kinds up to
// InputModified, write races, data races, uninitialised reads, then (where
// the violation log was not capped) coverage and equivalence.
void dischargeSymbolicInOrder(ObligationKind first, const SymbolicSteps &s);

} // namespace ksynth::verify
