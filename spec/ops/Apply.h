// One tensor op (spec/OpTable.h) over any domain D: the whole output tensor
// from the input tensors (applyTensorOp), and for the families written once
// at an output index, the value at one index over any index domain X
// (withValueAt, spec/ops/Index.h), from which the whole tensor is
// tabulated here and which verify/methods/SymbolicReferenceAt.cpp evaluates at a
// symbolic index. A literal operand arrives as a 0-d float32 tensor.
#pragma once

#include "spec/OpTable.h"
#include "spec/Tensor.h"
#include "spec/ops/Conv.h"
#include "spec/ops/Index.h"
#include "spec/ops/Linear.h"
#include "spec/ops/Losses.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Pooling.h"
#include "spec/ops/Reductions.h"

namespace ksynth::spec {

// For an op of a family written at an output index (Reduce, Transpose,
// Matmul): calls `k(at)`, where `at(flat)` is the op's value at output
// index `flat` (an X::I) with operand j's element at flat index i read as
// `read(j, i)`, and returns true. The op's params are resolved once, from
// the operand types `in`, before k is called. False (k not called) for the
// other families, which are whole-tensor only here (their value at a
// symbolic index is mirrored in verify/methods/SymbolicReferenceAt.cpp).
template <class D, class X, class Read, class K>
bool withValueAt(const OpNode &op, const std::vector<TensorType> &in, D &d,
                 Read read, K k) {
  using I = typename X::I;
  switch (tensorOpFamily(op.op)) {
  case TensorOpFamily::Reduce: {
    ReduceParams p = reduceParams(op, in);
    red::ReduceKind kind = red::reduceKind(op);
    k([&](const I &flat) {
      return red::reduceAt<D, X>(kind, p, d, flat,
                                 [&](const I &i) { return read(0, i); });
    });
    return true;
  }
  case TensorOpFamily::Transpose: {
    TransposeParams p = transposeParams(op, in);
    k([&](const I &flat) { return read(0, lin::transposeAt<X>(p, flat)); });
    return true;
  }
  case TensorOpFamily::Matmul: {
    MatmulParams p = matmulParams(op, in);
    k([&](const I &flat) {
      return lin::matmulAt<D, X>(
          p, d, flat, [&](const I &i) { return read(0, i); },
          [&](const I &i) { return read(1, i); });
    });
    return true;
  }
  default:
    return false;
  }
}

template <class D, class V = typename D::Val>
Tensor<V> applyTensorOp(const OpNode &op,
                        const std::vector<const Tensor<V> *> &in, D &d) {
  std::vector<TensorType> types = typesOf(in);
  Tensor<V> out;
  auto read = [&](size_t k, int64_t i) { return in[k]->data[i]; };
  if (withValueAt<D, IntIndex>(op, types, d, read, [&](auto at) {
        out = tabulate<V>(inferTensorOpType(op, types), at);
      }))
    return out;
  switch (tensorOpFamily(op.op)) {
  case TensorOpFamily::Scan:
    return red::cumsum(op, in, d);
  case TensorOpFamily::Softmax:
    return norm::softmax(op, in, d);
  case TensorOpFamily::RowNorm:
    return norm::rowNorm(op, in, d);
  case TensorOpFamily::BatchNorm:
    return norm::batchNorm(op, in, d);
  case TensorOpFamily::Conv:
    return conv::conv(op, in, d);
  case TensorOpFamily::Pool:
    return pool::pool(op, in, d);
  case TensorOpFamily::Loss:
    return loss::loss(op, in, d);
  case TensorOpFamily::Reduce: // withValueAt
  case TensorOpFamily::Transpose:
  case TensorOpFamily::Matmul:
    break;
  }
  return {};
}

} // namespace ksynth::spec
