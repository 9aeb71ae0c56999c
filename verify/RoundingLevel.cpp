// Level "rounding" of the equivalence obligation: real equivalence plus
// forward error bounds within the spec's tolerance.
#include "support/Float.h"
#include "verify/DischargeUtil.h"
#include "verify/Executor.h"
#include "verify/Rounding.h"
#include "verify/ShapeRun.h"
#include "verify/Unknown.h"

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

bool Discharger::provedUpToRounding(ShapeRun &r, const Expr &c, const Expr &f,
                                    std::string &why, unsigned &queries) {
  Rounding ra([&](const std::string &var) -> std::optional<Box> {
    auto it = r.inputs.find(baseName(var));
    if (it == r.inputs.end() || it->second.type.dtype != spec::DType::Float32)
      return std::nullopt;
    spec::Domain d = spec.domainOf(it->first);
    if (d.kind != spec::Domain::Kind::Range || !std::isfinite(d.lo) ||
        !std::isfinite(d.hi))
      return std::nullopt;
    return Box{lowBound(d.lo), highBound(d.hi)};
  });
  ra.setProver([&](const Expr &real, double atLeast) {
    smt::QueryResult q =
        solver.check({{ra.realDomain(), ra.functionFacts(),
                       real.rlt(Expr::realFromDouble(atLeast))},
                      "divisor lower bound",
                      2000});
    ++queries;
    return q.status == smt::SatResult::Unsat;
  });
  std::optional<Expr> rc = ra.toReal(c), rf = ra.toReal(f);
  std::optional<ErrorBound> bc = ra.bound(c), bf = ra.bound(f);
  if (!rc || !rf || !bc || !bf) {
    why = "rounding level not applicable: " + ra.why();
    return false;
  }
  double budget = spec.tolerance.atol +
                  spec.tolerance.rtol * std::max(0.0, bf->minAbs() - bf->err);
  double slack = budget - (bc->err + bf->err);
  if (slack < 0) {
    why = "rounding level: error bound " + std::to_string(bc->err + bf->err) +
          " exceeds the tolerance budget " + std::to_string(budget);
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
  return false;
}

} // namespace ksynth::verify
