// Refutations through approximate operations: a difference that holds for
// every value the approximations may return within their ulp bounds.
#include "support/Float.h"
#include "verify/discharge/ConcreteHunt.h"
#include "verify/discharge/Discharge.h"
#include "verify/core/DischargeUtil.h"
#include "verify/exec/Executor.h"
#include "verify/core/Unknown.h"
#include "verify/core/VarNames.h"

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

std::optional<Counterexample>
Discharger::confirmDespiteApproximation(ShapeRun &r, const EquivItem &item,
                                        const smt::Model &model) {
  if (model.isNull())
    return std::nullopt;
  return confirmRobustly(r, item, [&](const Expr &v) -> uint64_t {
    return model.bv(v).value_or(0);
  });
}

std::optional<Counterexample> Discharger::huntRobustly(ShapeRun &r,
                                                       const EquivItem &item) {
  std::mt19937_64 rng(opts.solver.seed + static_cast<uint64_t>(item.flat));
  for (unsigned t = 0; t < 24; ++t) {
    std::map<unsigned, uint64_t> pick;
    auto valueOf = [&](const Expr &v) -> uint64_t {
      auto it = pick.find(v.id());
      if (it != pick.end())
        return it->second;
      auto in = r.inputs.find(var::baseName(v.varName()));
      uint64_t bits = 0;
      if (in != r.inputs.end() &&
          in->second.type.dtype == spec::DType::Float32) {
        spec::Domain d = spec.domainOf(in->first);
        double lo = -8, hi = 8;
        if (d.kind == spec::Domain::Kind::Range && std::isfinite(d.lo) &&
            std::isfinite(d.hi)) {
          lo = lowBound(d.lo);
          hi = highBound(d.hi);
        }
        float f =
            t % 2 ? static_cast<float>(std::round(
                        std::uniform_real_distribution<double>(lo, hi)(rng)))
                  : static_cast<float>(
                        std::uniform_real_distribution<double>(lo, hi)(rng));
        f = std::min(std::max(f, static_cast<float>(lo)),
                     static_cast<float>(hi));
        bits = floatBits(f);
      }
      pick[v.id()] = bits;
      return bits;
    };
    if (auto cx = confirmRobustly(r, item, valueOf))
      return cx;
  }
  return std::nullopt;
}

std::optional<Counterexample> Discharger::confirmRobustly(
    ShapeRun &r, const EquivItem &item,
    const std::function<uint64_t(const Expr &)> &valueOf) {
  // Every result the candidate may compute on these inputs, whatever its
  // approximate operations return within their bounds, against every value
  // the reference may take (verify/numerics/IntervalEval.h), confirmed by the
  // interpreter.
  auto f =
      refuteAt(spec, r, item, [&](const Expr &v) -> std::optional<uint64_t> {
        return valueOf(v);
      });
  if (!f)
    return std::nullopt;
  return std::move(f->cx);
}

} // namespace ksynth::verify
