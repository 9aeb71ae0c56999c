// dischargeRaces and dischargeCoverage (SymbolicObligations.h): the
// discharge of the races and coverage obligations the symbolic methods
// produce.
#include "verify/discharge/SymbolicObligations.h"

#include "verify/core/DischargeUtil.h"

namespace ksynth::verify {

using smt::Expr;

namespace {

void finish(ObligationResult &r, std::chrono::steady_clock::time_point t0) {
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
}

} // namespace

LoggedOutcome dischargeRaces(ObligationKind kind,
                             const std::vector<RaceBatch> &batches,
                             const SymbolicSite &site, ObligationResult res) {
  LoggedOutcome out;
  auto t0 = std::chrono::steady_clock::now();
  const std::string k = toString(kind);
  const bool ww = kind == ObligationKind::WriteRace;
  for (const RaceBatch &b : batches) {
    if (b.candidates.empty())
      continue;
    if (b.candidates.size() > kMaxRaceCandidates) {
      res.status = "unknown";
      site.noteUnknown(k + b.between + ": " +
                           std::to_string(b.candidates.size()) +
                           " pairs of accesses, more than are checked",
                       UnknownKind::Bound);
      continue;
    }
    if (site.pastDeadline()) {
      out.stopped = true;
      return out;
    }
    std::vector<Expr> hits;
    for (const RaceCandidate &c : b.candidates)
      hits.push_back(c.cond);
    std::vector<Expr> conds = b.pre;
    conds.push_back(Expr::orAll(hits));
    conds.insert(conds.end(), b.post.begin(), b.post.end());
    smt::QueryResult qr =
        site.ask(conds, b.what.empty() ? k + b.between : b.what, 0);
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat)
      continue;
    if (qr.status == smt::SatResult::Unknown) {
      res.status = "unknown";
      site.noteUnknown(k + " query" + b.between + ": " + qr.reason,
                       UnknownKind::Timeout);
      continue;
    }
    if (dependsOnApproximation(Expr::andAll(conds))) {
      res.status = "unknown";
      site.noteUnknown(k + b.between + " only through an approximate operation",
                       UnknownKind::Approximation);
      continue;
    }
    const RaceCandidate *w = &b.candidates.front();
    for (const RaceCandidate &c : b.candidates)
      if (qr.model.boolean(c.cond).value_or(false)) {
        w = &c;
        break;
      }
    int64_t elem = static_cast<int64_t>(qr.model.bv(w->index).value_or(0));
    std::string detail = w->region + "[" + std::to_string(elem) + "] " +
                         (ww ? "written" : "written and read") + " by " +
                         w->who(qr.model);
    Counterexample cx = site.concrete(qr.model, conds, k, detail);
    cx.location = w->location;
    cx.other = w->other;
    if (w->isOutput)
      site.at(cx, w->region, elem);
    res.status = "refuted";
    out.refuted = std::move(cx);
    break;
  }
  finish(res, t0);
  out.result = res;
  return out;
}

LoggedOutcome dischargeCoverage(const std::vector<CoverageObligation> &obls,
                                const SymbolicSite &site,
                                const Budgets &budgets,
                                std::chrono::steady_clock::time_point deadline,
                                const spec::ShapeBinding &shape) {
  LoggedOutcome out;
  ObligationResult &res = out.result;
  res = ObligationResult{"coverage", shape, "proved", "", 0, 0};
  auto t0 = std::chrono::steady_clock::now();
  for (const CoverageObligation &ob : obls) {
    const std::string &o = ob.output;
    const Expr &i = ob.element;
    std::vector<Expr> uncovered = ob.uncovered;
    bool complete = ob.complete;
    std::string why = ob.why;
    if (site.pastDeadline()) {
      out.stopped = true;
      return out;
    }
    if (!ob.notAffine.empty()) {
      // The inversion is complete only where every address is affine.
      smt::QueryResult aff =
          site.check({Expr::orAll(ob.notAffine)}, "coverage affine");
      ++res.queries;
      if (aff.status != smt::SatResult::Unsat) {
        complete = false;
        why = "a store address that is not an affine function of the "
              "work-item id";
      }
    }
    // Stores whose condition and address are functions of the ids alone:
    // run over every id where that is cheap (exact at this shape), else
    // only when the solver's inversion query is undecided.
    auto enumerate = [&](uint64_t maxWork) {
      return firstUnwritten(ob.stores, ob.ids, ob.idRange, ob.numElems, maxWork,
                            deadline);
    };
    std::optional<int64_t> miss = enumerate(budgets.coverageEnumFirst);
    if (miss && *miss < 0)
      continue; // every element written
    smt::QueryResult qr;
    if (miss) {
      complete = true; // the enumeration is exact: some store misses *miss
      uncovered.push_back(i.eq(Expr::bvVal(static_cast<uint64_t>(*miss), 64)));
      qr = site.ask(uncovered, "coverage", 0);
    } else {
      qr = site.ask(uncovered, "coverage", 0);
      if (qr.status == smt::SatResult::Unknown || !complete) {
        miss = enumerate(budgets.coverageEnumMax);
        if (miss && *miss < 0)
          continue;
        if (miss) {
          complete = true;
          uncovered.push_back(
              i.eq(Expr::bvVal(static_cast<uint64_t>(*miss), 64)));
          qr = site.ask(uncovered, "coverage", 0);
        }
      }
    }
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat && miss) {
      res.status = "unknown"; // the two methods disagree: a ksynth bug
      site.noteUnknown("coverage of " + o + ": element " +
                           std::to_string(*miss) +
                           " unwritten by enumeration but covered by the "
                           "solver",
                       UnknownKind::Inconsistent);
      continue;
    }
    if (qr.status == smt::SatResult::Unsat)
      continue;
    if (qr.status == smt::SatResult::Unknown || !complete ||
        dependsOnApproximation(Expr::andAll(uncovered))) {
      res.status = "unknown";
      site.noteUnknown(
          "coverage of " + o + ": " +
              (qr.status == smt::SatResult::Unknown ? "query " + qr.reason
               : !complete                          ? why
                           : "depends on an approximate operation"),
          qr.status == smt::SatResult::Unknown ? UnknownKind::Timeout
                                               : UnknownKind::Unsupported);
      continue;
    }
    int64_t e = static_cast<int64_t>(qr.model.bv(i).value_or(0));
    bool dataDependent = !Expr::andAll(uncovered).selects().empty();
    Counterexample cx =
        site.concrete(qr.model, uncovered, "coverage",
                      o + "[" + std::to_string(e) + "] is never written" +
                          (dataDependent ? " for these inputs" : ""));
    site.at(cx, o, e);
    res.status = "refuted";
    out.refuted = std::move(cx);
    break;
  }
  finish(res, t0);
  return out;
}

void dischargeSymbolicInOrder(ObligationKind first, const SymbolicSteps &s) {
  for (ObligationKind k : obligationsFrom(first, ObligationKind::InputModified))
    if (s.logged(k))
      return;
  if (s.races(true) || s.races(false))
    return;
  if (s.logged(ObligationKind::UninitializedRead))
    return;
  if (s.capped()) {
    s.noteUnknown("more potential violations than are checked",
                  UnknownKind::Bound);
    return;
  }
  if (s.coverage())
    return;
  s.equivalence();
}

} // namespace ksynth::verify
