// Level "rounding" of the equivalence obligation: real equivalence plus
// forward error bounds within the spec's tolerance.
#include "support/Float.h"
#include "verify/core/DischargeUtil.h"
#include "verify/core/Unknown.h"
#include "verify/core/VarNames.h"
#include "verify/discharge/Discharge.h"
#include "verify/exec/Executor.h"
#include "verify/numerics/RealNormal.h" // engineer B: normal-form hook below
#include "verify/numerics/Rounding.h"
#include "verify/numerics/SumForm.h"

#include "spec/Interpreter.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {

// Whether the ideal values of c and f differ by more than `slack` at one of
// a few points of the domain (the shared subterms, free variables of the
// real query, sampled too): then the real query is satisfiable. Point
// boxes give (nearly) point intervals for the ideal values. Only ever
// used to give up early, never to prove.
bool idealsDiffer(
    const Expr &c, const Expr &f,
    const std::vector<std::pair<Expr, Box>> &shared,
    const std::function<std::optional<Box>(const std::string &)> &box,
    double slack) {
  std::vector<std::pair<std::string, Box>> inputs;
  std::set<std::string> seen;
  for (const Expr *t : {&c, &f})
    for (const Expr &v : t->vars())
      if (seen.insert(v.varName()).second)
        if (std::optional<Box> b = box(v.varName()))
          inputs.push_back({v.varName(), *b});
  std::mt19937_64 rng(20261121);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int k = 0; k < 6; ++k) {
    auto pick = [&](const Box &b) {
      double u = k == 0 ? 0 : k == 1 ? 1 : unit(rng);
      return std::min(b.hi, std::max(b.lo, b.lo + (b.hi - b.lo) * u));
    };
    std::map<std::string, double> at;
    for (const auto &[name, b] : inputs)
      at[name] = pick(b);
    std::vector<std::pair<Expr, Box>> points;
    for (const auto &[t, b] : shared) {
      double v = pick(b);
      points.push_back({t, Box{v, v}});
    }
    Rounding pr([&](const std::string &var) -> std::optional<Box> {
      auto it = at.find(var);
      if (it == at.end())
        return std::nullopt;
      return Box{it->second, it->second};
    });
    pr.setOpaque(points);
    std::optional<ErrorBound> x = pr.bound(c), y = pr.bound(f);
    if (!x || !y)
      continue;
    if (x->lo - y->hi > slack || y->lo - x->hi > slack)
      return true;
  }
  return false;
}

} // namespace

bool Discharger::provedUpToRounding(ShapeRun &r, const Expr &c0, const Expr &f0,
                                    std::string &why, unsigned &queries) {
  auto box = [&](const std::string &var) -> std::optional<Box> {
    if (auto fr = r.foldRanges.find(var); fr != r.foldRanges.end())
      return Box{fr->second.first, fr->second.second};
    auto it = r.inputs.find(var::baseName(var));
    if (it == r.inputs.end() || it->second.type.dtype != spec::DType::Float32)
      return std::nullopt;
    spec::Domain d = spec.domainOf(it->first);
    if (d.kind != spec::Domain::Kind::Range || !std::isfinite(d.lo) ||
        !std::isfinite(d.hi))
      return std::nullopt;
    return Box{lowBound(d.lo), highBound(d.hi)};
  };
  if (spec.tolerance.sumForm()) {
    // The summation form: only spec inputs with a bounded range are
    // variables (a fold's result is not one of the terms M counts).
    SumForm sf([&](const std::string &var) -> std::optional<Box> {
      if (r.foldRanges.count(var))
        return std::nullopt;
      return box(var);
    });
    std::optional<SumTerms> tc = sf.analyse(c0), tf = sf.analyse(f0);
    if (!tc || !tf) {
      why = "summation form not applicable: " + sf.why();
      return false;
    }
    return sf.fits(*tc, *tf, spec.tolerance.atol, spec.tolerance.sumRtol, why);
  }
  // Integer inputs (int64 class indices, bools): their declared values,
  // for branches on them (case tables).
  auto intDomain = [&](const std::string &var)
      -> std::optional<std::pair<int64_t, int64_t>> {
    auto it = r.inputs.find(var::baseName(var));
    if (it == r.inputs.end())
      return std::nullopt;
    if (it->second.type.dtype == spec::DType::Bool)
      return std::make_pair(int64_t{0}, int64_t{1});
    if (it->second.type.dtype != spec::DType::Int64)
      return std::nullopt;
    spec::Domain d = spec.domainOf(it->first);
    // The same bounds domainFor states (an integer-valued range).
    if (d.kind != spec::Domain::Kind::Range || !(d.lo >= -0x1p62) ||
        !(d.hi <= 0x1p62) || d.lo != std::floor(d.lo) ||
        d.hi != std::floor(d.hi))
      return std::nullopt;
    return std::make_pair(static_cast<int64_t>(d.lo),
                          static_cast<int64_t>(d.hi));
  };
  // Attempt 0 takes the terms as they are. If that is not applicable or
  // the bounds do not fit, attempt 1 takes the subterms both sides share
  // (a layer norm's x - mean) as exact inputs in the range of their
  // computed values: their rounding errors are the same on both sides.
  std::vector<std::pair<Expr, Box>> shared;
  std::string why0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    Rounding ra(box);
    ra.setIntDomain(intDomain);
    ra.setOpaque(shared);
    ra.setProver([&](const Expr &real, double atLeast) {
      // [RealNormal hook, engineer B] the divisor in normal form (an online
      // softmax's running sum becomes sum_j exp(x_j - max)), with exp facts.
      RealNormal::SolverTerm nf = RealNormal::forSolver(real);
      smt::QueryResult q =
          solver.check({{ra.realDomain(), ra.functionFacts(), nf.facts,
                         nf.term.rlt(Expr::realFromDouble(atLeast))},
                        "divisor lower bound",
                        opts.budgets.divisorBoundMs});
      ++queries;
      return q.status == smt::SatResult::Unsat;
    });
    // [RealNormal hook, engineer B -- verify/numerics/RealNormal.h] Exact folds
    // of the special values an online reduction starts from (fmax(-inf, x) = x,
    // exp(-inf - x) = +0, x - x = +0 for finite x) and Welford's M2
    // increment as |d| * |e|: the same values (signs of zero aside, which
    // this level does not observe).
    const Expr c = foldSpecialValues(c0, ra), f = foldSpecialValues(f0, ra);
    // [end of hook]
    std::optional<Expr> rc = ra.toReal(c), rf = ra.toReal(f);
    std::optional<ErrorBound> bc = ra.bound(c), bf = ra.bound(f);
    // What the bounds leave of the tolerance for |real(c) - real(f)|.
    double slack = bc && bf
                       ? Rounding::toleranceSlack(*bc, *bf, spec.tolerance.atol,
                                                  spec.tolerance.rtol)
                       : -1;
    if (!rc || !rf || !bc || !bf || slack < 0) {
      if (!rc || !rf || !bc || !bf) {
        why = "rounding level not applicable: " + ra.why();
      } else {
        char text[200];
        std::snprintf(text, sizeof text,
                      "rounding level: error bounds (candidate %.3g + %.3g|y|, "
                      "reference %.3g + %.3g|y|, |y| <= %.3g) exceed the "
                      "tolerance",
                      bc->abs, bc->rel, bf->abs, bf->rel, bf->maxAbs());
        why = text;
      }
      if (attempt == 1) {
        why = why0 + "; with shared subterms as inputs: " + why;
        return false;
      }
      why0 = why;
      for (const Expr &t : Rounding::commonSubterms(c, f)) {
        std::optional<ErrorBound> b = ra.bound(t);
        if (b && b->err > 0)
          shared.push_back({t, Box{std::nextafter(b->lo - b->err, -HUGE_VAL),
                                   std::nextafter(b->hi + b->err, HUGE_VAL)}});
      }
      if (shared.empty())
        return false;
      continue;
    }
    // [RealNormal hook, engineer B -- verify/numerics/RealNormal.h] Identical
    // normal forms (rational functions with exp(a)exp(b) = exp(a+b)): the ideal
    // values are equal (d = 0), and the budget check above already holds.
    // Sound because bound() of both sides rejected every divisor that may be
    // zero (the normal form's domain assumption).
    if (RealNormal().identical(*rc, *rf))
      return true;
    // [end of hook]
    // A wrong candidate first: nonlinear real arithmetic can spend its
    // whole timeout looking for the counterexample a sample shows at once.
    if (idealsDiffer(c, f, shared, box, slack)) {
      why = "rounding level: the ideal values differ by more than the "
            "tolerance leaves after rounding errors (at a sampled point)";
      if (!why0.empty())
        why = why0 + "; with shared subterms as inputs: " + why;
      return false;
    }
    // The ideal values may differ by what the rounding errors leave of the
    // budget (0 when the two are the same real function): e.g. x * (1/3 as a
    // float) against x / 3.
    Expr d = rc->rsub(*rf);
    Expr absd = Expr::ite(d.rlt(Expr::realVal(0)), d.rneg(), d);
    smt::QueryResult qr = solver.check({{ra.realDomain(), ra.functionFacts(),
                                         Expr::realFromDouble(slack).rlt(absd)},
                                        "real equivalence"});
    ++queries;
    if (qr.status == smt::SatResult::Unsat)
      return true;
    why = qr.status == smt::SatResult::Sat
              ? "rounding level: the ideal values differ by more than the "
                "tolerance leaves after rounding errors"
              : "rounding level: real-arithmetic query " + qr.reason;
    if (!why0.empty())
      why = why0 + "; with shared subterms as inputs: " + why;
    return false;
  }
  return false;
}

} // namespace ksynth::verify
