// dischargeLoggedKind (LoggedViolations.h): the per-violation rule every
// method's logged violations go through.
#include "verify/discharge/LoggedViolations.h"

#include "verify/core/DischargeUtil.h"

#include <chrono>
#include <vector>

namespace ksynth::verify {

using smt::Expr;

LoggedOutcome dischargeLoggedKind(ObligationKind kind, const ViolationLog &log,
                                  size_t end, const spec::ShapeBinding &shape,
                                  const ViolationSite &site) {
  LoggedOutcome out;
  out.result = ObligationResult{toString(kind), shape, "proved", "", 0, 0};
  ObligationResult &res = out.result;
  auto t0 = std::chrono::steady_clock::now();
  auto finish = [&]() {
    res.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
  };
  const std::vector<Violation> &all = log.all();
  if (end > all.size())
    end = all.size();
  std::vector<size_t> live;
  for (size_t i = 0; i < end; ++i)
    if (all[i].kind == kind && !all[i].cond.simplify().isFalse())
      live.push_back(i);
  const std::string name = toString(kind);
  if (site.batchFirst && live.size() > 1 && !site.pastDeadline()) {
    std::vector<Expr> any;
    for (size_t i : live)
      any.push_back(all[i].cond);
    smt::QueryResult qr = site.ask(Expr::orAll(any), name);
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat)
      live.clear();
  }
  for (size_t i : live) {
    const Violation &v = all[i];
    if (site.pastDeadline()) {
      out.stopped = true;
      finish();
      return out;
    }
    smt::QueryResult qr = site.ask(v.cond, name);
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat)
      continue;
    res.status = "unknown";
    if (qr.status == smt::SatResult::Unknown) {
      site.noteUnknown(name + ": " + v.detail + " (query " + qr.reason + ")",
                       UnknownKind::Timeout);
      continue;
    }
    if (dependsOnApproximation(v.cond)) {
      site.noteUnknown(name + ": " + v.detail +
                           " only through an approximate operation",
                       UnknownKind::Approximation);
      continue;
    }
    if (!v.refutable) {
      site.noteUnknown(name + ": " + v.detail + site.who +
                           "; whether the poison is used is not tracked",
                       UnknownKind::Unsupported);
      continue;
    }
    if (std::optional<Counterexample> cx = site.refute(i, v, qr.model)) {
      if (!cx->location.valid()) { // the failing instruction's source
        cx->location = v.loc;
        cx->other = v.other;
      }
      res.status = "refuted";
      out.refuted = std::move(cx);
      finish();
      return out;
    }
    site.noteUnknown(name + ": " + v.detail +
                         ": no concrete counterexample (the query for one "
                         "did not answer sat again)",
                     UnknownKind::Timeout);
  }
  finish();
  return out;
}

} // namespace ksynth::verify
