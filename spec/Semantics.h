// The semantics table: every op's exact meaning, written once over an
// abstract scalar domain D and instantiated three times:
//   * spec/Interpreter.h  ConcreteDomain (C++ float32: the reference) and
//                         DoubleDomain (every op in double: the "ideal"
//                         reference that tolerances are judged against),
//   * verify/             SymDomain, over SMT expressions,
// and later over the reals (proofs up to rounding). An op is therefore
// written from D's primitives only, never from C++ float math. Because the
// concrete and symbolic sides come from this one table, the interpreter can
// confirm every counterexample the solver finds.
//
// This file holds the elementwise ops (applyElementwise, one output element
// from its operands' elements, with broadcasting done by the caller); the
// tensor ops (reductions, softmax, norms, matmul, conv, pooling, losses)
// are in spec/ops/*.h, dispatched by spec/ops/Apply.h.
//
// A domain D provides:
//   using Val;                       // a float, bool or int64 scalar
//   Val f32(float);                  // a float32 value (literal, attr, +-0)
//   Val num(double c);               // the real constant c in the float
//                                    // type: float32 rounds to nearest
//                                    // even, double keeps c
//   Val boolean(bool); Val i64(int64_t);
//   Val add(Val,Val), sub, mul, div; // float: IEEE, round to nearest even
//   Val neg(Val), abs(Val);          // sign bit only
//   Val sqrt(Val);                   // IEEE, correctly rounded
//   Val exp(Val), log, log1p, expm1, tanh, erf;
//                                    // transcendental: float32 computes in
//                                    // double and rounds; SMT leaves them
//                                    // uninterpreted
//   Val lt(Val,Val), le, gt, ge;     // float: IEEE; NaN -> false
//   Val eq(Val,Val), ne;             // float (IEEE, NaN: eq false, ne true),
//                                    // bool or int64 (equality)
//   Val isnan(Val), signbit(Val);    // float -> bool
//   Val land(Val,Val), lor(Val,Val), lnot(Val); // bool
//   Val select(Val cond, Val a, Val b);         // any type
//
// Rules (docs/semantics.md has the tables and the PyTorch evidence):
//   * NaN inputs propagate through every arithmetic op and activation.
//   * clamp/hardtanh/relu/relu6 follow PyTorch's clamp kernel: a bound
//     replaces x only when x is strictly outside it, so -0 stays -0.
//   * minimum/maximum: NaN if either operand is NaN, otherwise IEEE
//     754-2019 minimum/maximum, which order -0 below +0.
//   * Scalar literals and attributes are rounded to float32 first.
//   * Activations follow PyTorch's CPU formulas (spec/ops/Activations.h).
#pragma once

#include "spec/OpAttrs.h"
#include "spec/Spec.h"
#include "spec/ops/Activations.h"

#include <string>
#include <vector>

namespace ksynth::spec {

// Arity of an elementwise op, or -1 if the op is unknown. clamp takes 1
// (bounds as attrs) or 3 (bounds as tensors) inputs.
int elementwiseArity(const std::string &op, size_t given);
bool isElementwiseOp(const std::string &op);
// Result dtype given operand dtypes (compares -> Bool). Throws UserError for
// a dtype mismatch ("add: operand 2 is bool, expected float32").
DType resultType(const OpNode &op, const std::vector<DType> &operands);
// Checks an op's name, operand count, literal operands and attrs (names
// known for the op, kinds and ranges), elementwise and tensor ops alike.
// Throws UserError with a message that has no file or op prefix (the caller
// adds them): "unknown op 'foo' (known: add, ...)", "expects 2 inputs, got
// 1", "unknown attr 'minval' (known: min_val, max_val)".
void checkOpSignature(const OpNode &op);

namespace sem {

template <class D, class V = typename D::Val>
V clampLow(D &d, const V &x, const V &lo) { // PyTorch std::max(x, lo)
  return d.select(d.lt(x, lo), lo, x);
}
template <class D, class V = typename D::Val>
V clampHigh(D &d, const V &x, const V &hi) { // PyTorch std::min(x, hi)
  return d.select(d.lt(hi, x), hi, x);
}
template <class D, class V = typename D::Val>
V clamp(D &d, const V &x, const V &lo, const V &hi) {
  return clampHigh(d, clampLow(d, x, lo), hi);
}
template <class D, class V = typename D::Val>
V minimum(D &d, const V &a, const V &b) {
  V pickA = d.lor(d.lt(a, b), d.land(d.eq(a, b), d.signbit(a)));
  return d.select(d.isnan(a), a,
                  d.select(d.isnan(b), b, d.select(pickA, a, b)));
}
template <class D, class V = typename D::Val>
V maximum(D &d, const V &a, const V &b) {
  V pickA = d.lor(d.gt(a, b), d.land(d.eq(a, b), d.lnot(d.signbit(a))));
  return d.select(d.isnan(a), a,
                  d.select(d.isnan(b), b, d.select(pickA, a, b)));
}

} // namespace sem

// One output element of an elementwise op from its operands' elements.
// Literal operands arrive as d.f32(literal). The caller checked arity/types.
template <class D, class V = typename D::Val>
V applyElementwise(const OpNode &op, const std::vector<V> &a, D &d) {
  const std::string &o = op.op;
  if (o == "add")
    return d.add(a[0], a[1]);
  if (o == "sub")
    return d.sub(a[0], a[1]);
  if (o == "mul")
    return d.mul(a[0], a[1]);
  if (o == "div")
    return d.div(a[0], a[1]);
  if (o == "neg")
    return d.neg(a[0]);
  if (o == "abs")
    return d.abs(a[0]);
  if (o == "sqrt") // IEEE, correctly rounded (PyTorch CPU is not, always)
    return d.sqrt(a[0]);
  if (o == "minimum" || o == "min")
    return sem::minimum(d, a[0], a[1]);
  if (o == "maximum" || o == "max")
    return sem::maximum(d, a[0], a[1]);
  if (o == "relu")
    return sem::clampLow(d, a[0], d.f32(0.0f));
  if (o == "relu6")
    return sem::clamp(d, a[0], d.f32(0.0f), d.f32(6.0f));
  if (o == "hardtanh")
    return sem::clamp(d, a[0], d.f32(attrF32(op, "min_val", -1.0f)),
                      d.f32(attrF32(op, "max_val", 1.0f)));
  if (o == "clamp") {
    if (a.size() == 3) // PyTorch, every backend: a NaN bound gives NaN
      return d.select(
          d.isnan(a[1]), a[1],
          d.select(d.isnan(a[2]), a[2], sem::clamp(d, a[0], a[1], a[2])));
    V r = a[0];
    if (op.attrs.contains("min"))
      r = sem::clampLow(d, r, d.f32(attrF32(op, "min", 0.0f)));
    if (op.attrs.contains("max"))
      r = sem::clampHigh(d, r, d.f32(attrF32(op, "max", 0.0f)));
    return r;
  }
  if (o == "leaky_relu") // PyTorch: x > 0 ? x : x * negative_slope
    return d.select(d.gt(a[0], d.f32(0.0f)), a[0],
                    d.mul(a[0], d.f32(attrF32(op, "negative_slope", 0.01f))));
  if (o == "hardsigmoid") { // PyTorch: min(max(x + 3, 0), 6) / 6
    V t = d.add(a[0], d.f32(3.0f));
    return d.div(
        sem::clampHigh(d, sem::clampLow(d, t, d.f32(0.0f)), d.f32(6.0f)),
        d.f32(6.0f));
  }
  if (o == "hardswish") { // PyTorch: x * min(max(x + 3, 0), 6) / 6
    V t = d.add(a[0], d.f32(3.0f));
    V c = sem::clampHigh(d, sem::clampLow(d, t, d.f32(0.0f)), d.f32(6.0f));
    return d.div(d.mul(a[0], c), d.f32(6.0f));
  }
  if (o == "gt")
    return d.gt(a[0], a[1]);
  if (o == "ge")
    return d.ge(a[0], a[1]);
  if (o == "lt")
    return d.lt(a[0], a[1]);
  if (o == "le")
    return d.le(a[0], a[1]);
  if (o == "eq")
    return d.eq(a[0], a[1]);
  if (o == "ne")
    return d.ne(a[0], a[1]);
  if (o == "logical_and")
    return d.land(a[0], a[1]);
  if (o == "logical_or")
    return d.lor(a[0], a[1]);
  if (o == "logical_not")
    return d.lnot(a[0]);
  if (o == "where")
    return d.select(a[0], a[1], a[2]);
  if (act::isActivation(o))
    return act::apply(op, a[0], d);
  return d.f32(0.0f); // unreachable: parseSpec rejects unknown ops
}

} // namespace ksynth::spec
