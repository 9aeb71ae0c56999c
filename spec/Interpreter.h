// Evaluation of a spec over tensors of domain values: the concrete
// reference interpreter (ConcreteDomain, float32), the ideal interpreter
// (DoubleDomain, every op in double) and, instantiated in verify/, the
// symbolic reference.
#pragma once

#include "spec/OpTable.h"
#include "spec/Semantics.h"
#include "spec/Spec.h"
#include "spec/Tensor.h"
#include "spec/ops/Apply.h"

#include <cassert>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace ksynth::spec {

// Evaluates every op in topological order. `inputs` holds every spec input.
// Returns all tensors (inputs, intermediates and outputs) by name. An
// elementwise op maps each output element through applyElementwise, its
// operands broadcast; a tensor op computes its whole output from its input
// tensors (applyTensorOp, a literal operand passed as a 0-d tensor).
template <class D, class V = typename D::Val>
std::map<std::string, Tensor<V>>
evaluate(const Spec &s, const ShapeBinding &b,
         const std::map<std::string, Tensor<V>> &inputs, D &d) {
  std::map<std::string, TensorType> types = inferTypes(s, b);
  std::map<std::string, Tensor<V>> env = inputs;
  for (const OpNode *op : topoOrder(s)) {
    if (isTensorOp(*op)) {
      std::vector<Tensor<V>> literals;
      literals.reserve(op->inputs.size()); // keeps the pointers below valid
      std::vector<const Tensor<V> *> ins;
      for (const Operand &x : op->inputs) {
        if (const auto *lit = std::get_if<double>(&x)) {
          literals.push_back({TensorType{DType::Float32, {}},
                              {d.f32(static_cast<float>(*lit))}});
          ins.push_back(&literals.back());
        } else {
          ins.push_back(&env.at(std::get<std::string>(x)));
        }
      }
      Tensor<V> out = applyTensorOp(*op, ins, d);
      assert(out.type.dims == types.at(op->output).dims &&
             static_cast<int64_t>(out.data.size()) == out.type.numel());
      env[op->output] = std::move(out);
      continue;
    }
    Tensor<V> out;
    out.type = types.at(op->output);
    int64_t n = out.type.numel();
    out.data.reserve(n);
    std::vector<V> args(op->inputs.size(), d.f32(0.0f));
    for (int64_t i = 0; i < n; ++i) {
      for (size_t k = 0; k < op->inputs.size(); ++k) {
        if (const auto *lit = std::get_if<double>(&op->inputs[k])) {
          args[k] = d.f32(static_cast<float>(*lit));
        } else {
          const Tensor<V> &t = env.at(std::get<std::string>(op->inputs[k]));
          args[k] = t.data[broadcastIndex(out.type.dims, t.type.dims, i)];
        }
      }
      out.data.push_back(applyElementwise(*op, args, d));
    }
    env[op->output] = std::move(out);
  }
  return env;
}

// A concrete scalar: a float (float32 in the reference, double in the ideal
// interpreter), a bool or an int64, as `type` says.
template <class F> struct BasicScalar {
  DType type = DType::Float32;
  F f = 0;
  bool b = false;
  int64_t i = 0;
};
using Scalar = BasicScalar<float>;
using IdealScalar = BasicScalar<double>;

// IEEE arithmetic in F. float: C++ float32 arithmetic (the spec library is
// compiled with -ffp-contract=off, so every operation rounds once, to
// nearest-even); double: the same in binary64. Transcendentals are computed
// by the C library in double and rounded to F: not correctly rounded (and
// possibly different between C libraries in rare last-bit cases), which is
// why specs using them need a tolerance.
template <class F> struct IeeeDomain {
  using Val = BasicScalar<F>;
  static Val fl(double x) {
    return {DType::Float32, static_cast<F>(x), false, 0};
  }
  static Val f32(float x) { return {DType::Float32, x, false, 0}; }
  static Val num(double c) { return fl(c); }
  static Val boolean(bool x) { return {DType::Bool, 0, x, 0}; }
  static Val i64(int64_t x) { return {DType::Int64, 0, false, x}; }
  Val add(Val a, Val b) { return mk(a.f + b.f); }
  Val sub(Val a, Val b) { return mk(a.f - b.f); }
  Val mul(Val a, Val b) { return mk(a.f * b.f); }
  Val div(Val a, Val b) { return mk(a.f / b.f); }
  Val neg(Val a) { return mk(-a.f); }
  Val abs(Val a) { return mk(std::fabs(a.f)); }
  Val sqrt(Val a) { return mk(std::sqrt(a.f)); }
  Val exp(Val a) { return fl(std::exp(static_cast<double>(a.f))); }
  Val log(Val a) { return fl(std::log(static_cast<double>(a.f))); }
  Val log1p(Val a) { return fl(std::log1p(static_cast<double>(a.f))); }
  Val expm1(Val a) { return fl(std::expm1(static_cast<double>(a.f))); }
  Val tanh(Val a) { return fl(std::tanh(static_cast<double>(a.f))); }
  Val erf(Val a) { return fl(std::erf(static_cast<double>(a.f))); }
  Val lt(Val a, Val b) { return boolean(a.f < b.f); }
  Val le(Val a, Val b) { return boolean(a.f <= b.f); }
  Val gt(Val a, Val b) { return boolean(a.f > b.f); }
  Val ge(Val a, Val b) { return boolean(a.f >= b.f); }
  Val eq(Val a, Val b) {
    switch (a.type) {
    case DType::Bool:
      return boolean(a.b == b.b);
    case DType::Int64:
      return boolean(a.i == b.i);
    case DType::Float32:
      break;
    }
    return boolean(a.f == b.f);
  }
  Val ne(Val a, Val b) { return boolean(!eq(a, b).b); }
  Val isnan(Val a) { return boolean(std::isnan(a.f)); }
  Val signbit(Val a) { return boolean(std::signbit(a.f)); }
  Val land(Val a, Val b) { return boolean(a.b && b.b); }
  Val lor(Val a, Val b) { return boolean(a.b || b.b); }
  Val lnot(Val a) { return boolean(!a.b); }
  Val select(Val c, Val a, Val b) { return c.b ? a : b; }

private:
  static Val mk(F x) { return {DType::Float32, x, false, 0}; }
};

// The reference semantics: float32.
struct ConcreteDomain : IeeeDomain<float> {};
// The ideal semantics: the same formulas with every operation in double
// (literals and attributes are still the float32 values the spec defines;
// num() constants such as sqrt(2/pi) are the double nearest to the real).
struct DoubleDomain : IeeeDomain<double> {};

// Runs the reference on concrete inputs; returns the outputs by name.
std::map<std::string, Tensor<Scalar>>
interpret(const Spec &s, const ShapeBinding &b,
          const std::map<std::string, Tensor<Scalar>> &inputs);

// Runs the ideal (double precision) interpretation of the spec on the same
// float32 inputs; returns the outputs by name. Used by differential testing
// and to judge tolerances: how far the float32 reference itself is from
// the ideal result.
std::map<std::string, Tensor<IdealScalar>>
interpretIdeal(const Spec &s, const ShapeBinding &b,
               const std::map<std::string, Tensor<Scalar>> &inputs);

// The summation form's magnitudes (Tolerance::accepts' `mag`): for each
// output, its op (sum, mean or matmul over spec inputs, Spec.h
// sumFormRefusal) evaluated in double precision on the absolute values of
// its operands, so element i holds sum_j |t_j| over the terms the op sums
// for it (mean: |x_j| / n; matmul: |a[i,k] * b[k,j]|, exact in double).
// Empty when the spec's tolerance is not the summation form; an output
// missing from it has unknown magnitudes (accepts' NaN).
std::map<std::string, std::vector<double>>
interpretMagnitudes(const Spec &s, const ShapeBinding &b,
                    const std::map<std::string, Tensor<Scalar>> &inputs);

} // namespace ksynth::spec
