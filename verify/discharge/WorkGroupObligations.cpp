#include "verify/discharge/WorkGroupObligations.h"

#include "verify/core/Unknown.h"
#include "verify/core/VarNames.h"
#include "verify/exec/Executor.h"

#include <chrono>

namespace ksynth::verify {

using smt::Expr;

namespace {

// Barrier divergence: two work-items that stop at different points in the
// model (the violation's detail names a pair that may not).
// `loc` and `other` get the two stopping points' source locations.
std::string divergenceDetail(const Violation &v, const std::vector<Stop> &stops,
                             const smt::Model &model, SourceLoc &loc,
                             SourceLoc &other) {
  for (const Stop &a : stops) {
    if (a.point == "return" || !model.boolean(a.pc).value_or(false))
      continue;
    for (const Stop &b : stops)
      if (b.item != a.item && b.point != a.point &&
          model.boolean(b.pc).value_or(false)) {
        size_t in = v.detail.rfind(" in launch ");
        // Divergence within one sub-group (verify/exec/SubGroup.cpp) lists the
        // stops of that sub-group only.
        bool sub =
            v.detail.find(" of the same sub-group ") != std::string::npos;
        loc = a.loc;
        other = b.loc;
        return "work-item " + std::to_string(a.item) + " reaches " + a.point +
               " but work-item " + std::to_string(b.item) + " of the same " +
               (sub ? "sub-group " : "work-group ") +
               (b.point == "return" ? std::string("returned")
                                    : "waits at " + b.point) +
               (in == std::string::npos ? "" : v.detail.substr(in));
      }
  }
  return v.detail;
}

Counterexample fromModel(const ShapeRun &r, const Violation &v,
                         const std::vector<Stop> &stops,
                         const smt::Model &model) {
  Counterexample cx;
  cx.obligation = toString(v.kind);
  cx.shape = r.shape;
  cx.location = v.loc;
  cx.other = v.other;
  cx.detail = v.kind == ObligationKind::BarrierDivergence
                  ? divergenceDetail(v, stops, model, cx.location, cx.other)
                  : v.detail;
  cx.dependsOnImplementationChoice =
      var::mentionsChoice(v.cond, Choice::Nondet);
  for (auto &[name, iv] : r.inputs) {
    TensorBits tb;
    tb.dtype = iv.type.dtype;
    tb.shape = iv.type.dims;
    for (const Expr &b : iv.bits)
      tb.bits.push_back(model.bv(b).value_or(0));
    cx.inputs[name] = std::move(tb);
  }
  return cx;
}

} // namespace

std::optional<Counterexample> dischargeWorkGroupObligations(
    const spec::Spec &s, smt::QuerySolver &solver, ShapeRun &r,
    const std::vector<Stop> &stops, std::vector<ObligationResult> &out,
    std::string &unknownReason, std::string &unknownKind) {
  auto noteUnknown = [&](const std::string &why, UnknownKind k) {
    if (unknownReason.empty()) {
      unknownReason = why;
      unknownKind = toString(k);
    }
  };
  for (ObligationKind kind :
       obligationsFrom(ObligationKind::LocalMemoryLimit,
                       ObligationKind::BarrierDivergence)) {
    ObligationResult res{toString(kind), r.shape, "proved", "", 0, 0};
    auto t0 = std::chrono::steady_clock::now();
    auto seconds = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                           t0)
          .count();
    };
    for (const Violation &v : r.log.all()) {
      if (v.kind != kind || v.cond.isFalse())
        continue;
      smt::Query q{{domainFor(s, r, v.cond), v.cond},
                   std::string(toString(kind)) + " " + shapeLabel(r.shape)};
      smt::QueryResult qr = solver.check(q);
      ++res.queries;
      if (qr.status == smt::SatResult::Unsat)
        continue;
      res.status = "unknown";
      if (qr.status == smt::SatResult::Unknown) {
        noteUnknown(std::string(toString(kind)) + " query " + qr.reason + " (" +
                        v.detail + ")",
                    UnknownKind::Timeout);
        continue;
      }
      if (var::mentionsChoice(v.cond, Choice::Approx)) {
        noteUnknown(v.detail + " only through an approximate operation",
                    UnknownKind::Approximation);
        continue;
      }
      res.status = "refuted";
      res.seconds = seconds();
      out.push_back(res);
      return fromModel(r, v, stops, qr.model);
    }
    res.seconds = seconds();
    out.push_back(res);
  }
  return std::nullopt;
}

} // namespace ksynth::verify
