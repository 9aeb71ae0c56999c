// Refutations through approximate operations: a difference that holds for
// every value the approximations may return within their ulp bounds.
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
      auto in = r.inputs.find(baseName(v.varName()));
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
  if (!item.reference.isFP())
    return std::nullopt;
  // The solver's inputs, made concrete.
  std::map<std::string, float> value;
  std::map<std::string, spec::Tensor<spec::Scalar>> in;
  Counterexample cx;
  for (auto &[n, iv] : r.inputs) {
    TensorBits tb;
    tb.dtype = iv.type.dtype;
    tb.shape = iv.type.dims;
    spec::Tensor<spec::Scalar> t;
    t.type = iv.type;
    for (const Expr &b : iv.bits) {
      uint64_t bits = valueOf(b);
      tb.bits.push_back(bits);
      spec::Scalar sc;
      sc.type = iv.type.dtype;
      sc.f = bitsFloat(static_cast<uint32_t>(bits));
      sc.b = bits != 0;
      sc.i = static_cast<int64_t>(bits);
      t.data.push_back(sc);
      value[b.varName()] = sc.f;
    }
    cx.inputs[n] = std::move(tb);
    in[n] = std::move(t);
  }
  // Every result the candidate may compute on them, whatever its
  // approximate operations return within their ulp bounds.
  Rounding ra([&](const std::string &var) -> std::optional<Box> {
    auto it = value.find(var);
    if (it == value.end() || !std::isfinite(it->second))
      return std::nullopt;
    return Box{it->second, it->second};
  });
  std::optional<ErrorBound> b = ra.bound(item.candidate);
  if (!b)
    return std::nullopt;
  double lo = b->lo - b->err, hi = b->hi + b->err;
  // The reference is uncertain too where it uses transcendentals (2 ulp
  // assumed for PyTorch's): every reference value it may take counts.
  std::optional<ErrorBound> rb = ra.bound(item.reference);
  auto out = spec::interpret(spec, r.shape, in);
  float ref = out.at(item.output).data.at(static_cast<size_t>(item.flat)).f;
  if (!rb || !std::isfinite(ref))
    return std::nullopt;
  double rlo = rb->lo - rb->err, rhi = rb->hi + rb->err;
  double tolLo = spec.tolerance.atol + spec.tolerance.rtol * std::fabs(rlo);
  double tolHi = spec.tolerance.atol + spec.tolerance.rtol * std::fabs(rhi);
  double tol = std::max(tolLo, tolHi);
  if (lo <= rhi + tol && hi >= rlo - tol)
    return std::nullopt; // some allowed result would pass
  cx.obligation = "equivalence";
  cx.shape = r.shape;
  cx.output = item.output;
  cx.flatIndex = item.flat;
  const auto &dims = r.types.at(item.output).dims;
  cx.index.assign(dims.size(), 0);
  int64_t rest = item.flat;
  for (size_t d = dims.size(); d-- > 0;) {
    cx.index[d] = rest % dims[d];
    rest /= dims[d];
  }
  cx.referenceBits = floatBits(ref);
  cx.candidateBits = floatBits(static_cast<float>((lo + hi) / 2));
  cx.confirmedByInterpreter = true;
  char range[128];
  std::snprintf(range, sizeof range, "[%.9g, %.9g]", lo, hi);
  cx.detail = item.output + "[" + std::to_string(item.flat) +
              "]: whatever its approximate operations return within "
              "OpenCL's ulp bounds, the candidate computes a value in " +
              range +
              " (candidate shows the midpoint), outside the reference " +
              "± tolerance";
  return cx;
}

} // namespace ksynth::verify
