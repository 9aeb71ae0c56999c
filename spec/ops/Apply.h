// One tensor op (spec/OpTable.h) over any domain D, written once as its
// value at one output index over any index domain X (withValueAt,
// spec/ops/Index.h): the whole output tensor from the input tensors is
// tabulated from it here (applyTensorOp), and
// verify/methods/SymbolicReferenceAt.cpp evaluates it at a symbolic index.
// A literal operand arrives as a 0-d float32 tensor.
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

// Calls `k(at)`, where `at(flat)` is the op's value at output index `flat`
// (an X::I) with operand j's element at flat index i read as `read(j, i)`.
// The op's params are resolved once, from the operand types `in`, before k
// is called. Every family is written this way; Scan, Softmax and RowNorm
// (whose work is shared along a line) are also tabulated line by line in
// applyTensorOp, from the same pieces.
template <class D, class X, class Read, class K>
void withValueAt(const OpNode &op, const std::vector<TensorType> &in, D &d,
                 Read read, K k) {
  using I = typename X::I;
  auto read0 = [&](const I &i) { return read(0, i); };
  switch (tensorOpFamily(op.op)) {
  case TensorOpFamily::Reduce: {
    ReduceParams p = reduceParams(op, in);
    red::ReduceKind kind = red::reduceKind(op);
    k([&](const I &flat) {
      return red::reduceAt<D, X>(kind, p, d, flat, read0);
    });
    return;
  }
  case TensorOpFamily::Scan: {
    DimParams p = dimParams(op, in);
    k([&](const I &flat) { return red::scanAt<D, X>(op, p, d, flat, read0); });
    return;
  }
  case TensorOpFamily::Softmax: {
    DimParams p = dimParams(op, in);
    k([&](const I &flat) {
      return norm::softmaxAt<D, X>(op, p, d, flat, read0);
    });
    return;
  }
  case TensorOpFamily::RowNorm: {
    RowNormParams p = rowNormParams(op, in);
    k([&](const I &flat) {
      return norm::rowNormAt<D, X>(op, p, d, flat, read);
    });
    return;
  }
  case TensorOpFamily::BatchNorm: {
    BatchNormParams p = batchNormParams(op, in);
    k([&](const I &flat) { return norm::batchNormAt<D, X>(p, d, flat, read); });
    return;
  }
  case TensorOpFamily::Layout:
    lin::layoutAt<D, X>(op, in, d, read, k);
    return;
  case TensorOpFamily::Matmul: {
    MatmulParams p = matmulParams(op, in);
    k([&](const I &flat) {
      return lin::matmulAt<D, X>(p, d, flat, read0,
                                 [&](const I &i) { return read(1, i); });
    });
    return;
  }
  case TensorOpFamily::Conv: {
    ConvParams p = convParams(op, in);
    Window win = windowOf(p);
    k([&](const I &flat) { return conv::convAt<D, X>(p, win, d, flat, read); });
    return;
  }
  case TensorOpFamily::Pool: {
    PoolParams p = poolParams(op, in);
    Window win = windowOf(p);
    k([&](const I &flat) {
      return pool::poolAt<D, X>(p, win, d, flat, read0);
    });
    return;
  }
  case TensorOpFamily::Loss: {
    LossParams p = lossParams(op, in);
    k([&](const I &flat) { return loss::lossAt<D, X>(op, p, d, flat, read); });
    return;
  }
  }
}

// The whole output: the value at every index in turn (spec::tabulate),
// except for the families whose work is shared along a line (or a channel),
// tabulated line by line from the same pieces.
template <class D, class V = typename D::Val>
Tensor<V> applyTensorOp(const OpNode &op,
                        const std::vector<const Tensor<V> *> &in, D &d) {
  switch (tensorOpFamily(op.op)) {
  case TensorOpFamily::Scan:
    return red::cumsum(op, in, d);
  case TensorOpFamily::Softmax:
    return norm::softmax(op, in, d);
  case TensorOpFamily::RowNorm:
    return norm::rowNorm(op, in, d);
  case TensorOpFamily::BatchNorm:
    return norm::batchNorm(op, in, d);
  default:
    break;
  }
  std::vector<TensorType> types = typesOf(in);
  Tensor<V> out;
  auto read = [&](size_t k, int64_t i) { return in[k]->data[i]; };
  withValueAt<D, IntIndex>(op, types, d, read, [&](auto at) {
    out = tabulate<V>(inferTensorOpType(op, types), at);
  });
  return out;
}

} // namespace ksynth::spec
