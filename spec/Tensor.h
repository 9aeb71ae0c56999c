// A tensor of domain values (float32/bool/int64 scalars, doubles, or SMT
// terms), row-major, with its type.
#pragma once

#include "spec/Spec.h"

#include <cstdint>
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

template <class V>
std::vector<TensorType> typesOf(const std::vector<const Tensor<V> *> &ts) {
  std::vector<TensorType> out;
  for (const Tensor<V> *t : ts)
    out.push_back(t->type);
  return out;
}

} // namespace ksynth::spec
