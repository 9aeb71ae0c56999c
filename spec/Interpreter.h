// Evaluation of a spec over tensors of domain values: the concrete
// reference interpreter (ConcreteDomain) and, instantiated in verify/, the
// symbolic reference.
#pragma once

#include "spec/Semantics.h"
#include "spec/Spec.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace ksynth::spec {

template <class V> struct Tensor {
  TensorType type;
  std::vector<V> data; // row-major, type.numel() elements
};

// Row-major strides-based broadcast: index in `from` (dims of an operand)
// for flat index `flat` of a tensor with dims `to` (numpy/PyTorch rules).
int64_t broadcastIndex(const std::vector<int64_t> &to,
                       const std::vector<int64_t> &from, int64_t flat);

// Evaluates every op in topological order. `inputs` holds every spec input.
// Returns all tensors (inputs, intermediates and outputs) by name.
template <class D, class V = typename D::Val>
std::map<std::string, Tensor<V>>
evaluate(const Spec &s, const ShapeBinding &b,
         const std::map<std::string, Tensor<V>> &inputs, D &d) {
  std::map<std::string, TensorType> types = inferTypes(s, b);
  std::map<std::string, Tensor<V>> env = inputs;
  for (const OpNode *op : topoOrder(s)) {
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

// A concrete scalar: float32 or bool.
struct Scalar {
  DType type = DType::Float32;
  float f = 0;
  bool b = false;
};

// C++ float32 arithmetic (the spec library is compiled with
// -ffp-contract=off, so every operation rounds once, to nearest-even).
struct ConcreteDomain {
  using Val = Scalar;
  static Val f32(float x) { return {DType::Float32, x, false}; }
  static Val boolean(bool x) { return {DType::Bool, 0, x}; }
  Val add(Val a, Val b) { return f32(a.f + b.f); }
  Val sub(Val a, Val b) { return f32(a.f - b.f); }
  Val mul(Val a, Val b) { return f32(a.f * b.f); }
  Val div(Val a, Val b) { return f32(a.f / b.f); }
  Val neg(Val a) { return f32(-a.f); }
  Val abs(Val a) { return f32(std::fabs(a.f)); }
  Val lt(Val a, Val b) { return boolean(a.f < b.f); }
  Val le(Val a, Val b) { return boolean(a.f <= b.f); }
  Val gt(Val a, Val b) { return boolean(a.f > b.f); }
  Val ge(Val a, Val b) { return boolean(a.f >= b.f); }
  Val eq(Val a, Val b) {
    return a.type == DType::Bool ? boolean(a.b == b.b) : boolean(a.f == b.f);
  }
  Val ne(Val a, Val b) {
    return a.type == DType::Bool ? boolean(a.b != b.b) : boolean(a.f != b.f);
  }
  Val isnan(Val a) { return boolean(std::isnan(a.f)); }
  Val signbit(Val a) { return boolean(std::signbit(a.f)); }
  Val land(Val a, Val b) { return boolean(a.b && b.b); }
  Val lor(Val a, Val b) { return boolean(a.b || b.b); }
  Val lnot(Val a) { return boolean(!a.b); }
  Val select(Val c, Val a, Val b) { return c.b ? a : b; }
};

// Runs the reference on concrete inputs; returns the outputs by name.
std::map<std::string, Tensor<Scalar>>
interpret(const Spec &s, const ShapeBinding &b,
          const std::map<std::string, Tensor<Scalar>> &inputs);

} // namespace ksynth::spec
