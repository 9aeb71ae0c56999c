// The transcendental activations, elementwise, written from the domain's
// primitives only (spec/Semantics.h lists them). Each follows the formula of
// PyTorch's float32 CPU kernel, operation for operation; docs/semantics.md
// has the table. exp, log, log1p, expm1, tanh and erf are not correctly
// rounded in PyTorch, so a spec using any of these ops must declare a
// tolerance (checked by the parser).
#pragma once

#include "spec/OpAttrs.h"
#include "spec/Spec.h"

#include <optional>

namespace ksynth::spec::act {

template <class D, class V = typename D::Val>
V sigmoid(D &d, const V &x) { // 1 / (1 + exp(-x))
  V one = d.f32(1.0f);
  return d.div(one, d.add(one, d.exp(d.neg(x))));
}

template <class D, class V = typename D::Val>
V softplus(D &d, const V &x, float beta, float threshold) {
  // x * beta > threshold ? x : log1p(exp(x * beta)) / beta
  V b = d.f32(beta);
  V xb = d.mul(x, b);
  return d.select(d.gt(xb, d.f32(threshold)), x, d.div(d.log1p(d.exp(xb)), b));
}

// PyTorch's ELU kernel with scale / input_scale: x < 0 ? expm1(x *
// input_scale) * (alpha * scale) : x * scale. elu has scale = input_scale =
// 1 (the multiplications by 1 are exact and omitted).
template <class D, class V = typename D::Val>
V elu(D &d, const V &x, const V &negcoef, const std::optional<V> &scale) {
  V neg = d.mul(d.expm1(x), negcoef);
  return d.select(d.lt(x, d.f32(0.0f)), neg, scale ? d.mul(x, *scale) : x);
}

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSqrt1_2 = 0.70710678118654752440084436210484903928;
// sqrt(2) * (2 / sqrt(pi)) * 0.5 = sqrt(2 / pi)
constexpr double kGeluBeta = 0.79788456080286535587989211986876373695;
constexpr double kGeluKappa = 0.044715;

template <class D, class V = typename D::Val>
V gelu(D &d, const V &x, bool tanhApprox) {
  V half = d.f32(0.5f), one = d.f32(1.0f);
  if (!tanhApprox) // x * 0.5 * (1 + erf(x * M_SQRT1_2))
    return d.mul(d.mul(x, half), d.add(one, d.erf(d.mul(x, d.num(kSqrt1_2)))));
  // 0.5 * x * (1 + tanh(kBeta * (x + kKappa * x^3))), x^3 = x * x * x
  V cube = d.mul(d.mul(x, x), x);
  V inner = d.mul(d.num(kGeluBeta), d.add(x, d.mul(d.num(kGeluKappa), cube)));
  return d.mul(d.mul(half, x), d.add(one, d.tanh(inner)));
}

// Is `op` one of the activations below? (Arity 1, float32.)
inline bool isActivation(const std::string &op) {
  for (const char *n : {"sigmoid", "tanh", "exp", "log", "softplus", "elu",
                        "selu", "gelu", "silu", "mish", "softsign"})
    if (op == n)
      return true;
  return false;
}

template <class D, class V = typename D::Val>
V apply(const OpNode &op, const V &x, D &d) {
  const std::string &o = op.op;
  if (o == "sigmoid")
    return sigmoid(d, x);
  if (o == "tanh")
    return d.tanh(x);
  if (o == "exp")
    return d.exp(x);
  if (o == "log")
    return d.log(x);
  if (o == "softplus")
    return softplus(d, x, attrF32(op, "beta", 1.0f),
                    attrF32(op, "threshold", 20.0f));
  if (o == "elu")
    return elu(d, x, d.f32(attrF32(op, "alpha", 1.0f)), std::optional<V>());
  if (o == "selu") // negcoef = alpha * scale, each rounded to float32 first
    return elu(d, x, d.mul(d.num(kSeluAlpha), d.num(kSeluScale)),
               std::optional<V>(d.num(kSeluScale)));
  if (o == "gelu")
    return gelu(d, x, attrStr(op, "approximate", "none") == "tanh");
  if (o == "silu") { // x / (1 + exp(-x))
    return d.div(x, d.add(d.f32(1.0f), d.exp(d.neg(x))));
  }
  if (o == "mish") // x * tanh(log1p(exp(x)))
    return d.mul(x, d.tanh(d.log1p(d.exp(x))));
  // softsign: x / (|x| + 1)
  return d.div(x, d.add(d.abs(x), d.f32(1.0f)));
}

} // namespace ksynth::spec::act
