// The one rule for discharging logged violations, shared by every
// verification method (issue 11 item 1): for one obligation kind, each
// violation a method logged is asked of the solver with the method's
// domain; unsat discharges it, unknown and violations that hold only
// through an approximate operation or an unused poison value give unknown
// with a reason, and a satisfiable one becomes the method's concrete
// counterexample (or unknown where the method cannot make one). What
// differs between methods (how a query is built, the work-item ids and
// ranges, how a counterexample is assembled) is the ViolationSite a
// method passes in.
#pragma once

#include "solver/Solver.h"
#include "spec/Spec.h"
#include "verify/core/Obligation.h"
#include "verify/core/Unknown.h"
#include "verify/core/Verdict.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace ksynth::verify {

// What a method supplies to the discharge of its logged violations.
struct ViolationSite {
  // The query "cond holds" with the method's input domain (and id ranges).
  std::function<smt::QueryResult(const smt::Expr &cond,
                                 const std::string &what)>
      ask;
  // A concrete counterexample from a model of violation `i` of the log;
  // nullopt where the method cannot confirm one.
  std::function<std::optional<Counterexample>(size_t i, const Violation &v,
                                              const smt::Model &m)>
      refute;
  std::function<bool()> pastDeadline;
  std::function<void(const std::string &why, UnknownKind k)> noteUnknown;
  // Ask one disjunction of all the kind's violations first (usually none
  // holds, and one query says so).
  bool batchFirst = false;
  // Who may violate, for the unknown reasons ("for some work-item").
  std::string who;
};

struct LoggedOutcome {
  ObligationResult result;               // status proved/refuted/unknown
  std::optional<Counterexample> refuted; // set with status "refuted"
  bool stopped = false;                  // the deadline passed
};

// Discharges the violations of `kind` among the first `end` of `log`.
LoggedOutcome dischargeLoggedKind(ObligationKind kind, const ViolationLog &log,
                                  size_t end, const spec::ShapeBinding &shape,
                                  const ViolationSite &site);

} // namespace ksynth::verify
