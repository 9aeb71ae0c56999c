// One tensor op (spec/OpTable.h) over any domain D: the whole output tensor
// from the input tensors. A literal operand arrives as a 0-d float32 tensor.
#pragma once

#include "spec/OpTable.h"
#include "spec/Tensor.h"
#include "spec/ops/Conv.h"
#include "spec/ops/Linear.h"
#include "spec/ops/Losses.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Pooling.h"
#include "spec/ops/Reductions.h"

namespace ksynth::spec {

template <class D, class V = typename D::Val>
Tensor<V> applyTensorOp(const OpNode &op,
                        const std::vector<const Tensor<V> *> &in, D &d) {
  switch (tensorOpFamily(op.op)) {
  case TensorOpFamily::Reduce:
    return red::reduce(op, in, d);
  case TensorOpFamily::Scan:
    return red::cumsum(op, in, d);
  case TensorOpFamily::Softmax:
    return norm::softmax(op, in, d);
  case TensorOpFamily::RowNorm:
    return norm::rowNorm(op, in, d);
  case TensorOpFamily::BatchNorm:
    return norm::batchNorm(op, in, d);
  case TensorOpFamily::Transpose:
    return lin::transpose(op, in);
  case TensorOpFamily::Matmul:
    return lin::matmul(op, in, d);
  case TensorOpFamily::Conv:
    return conv::conv(op, in, d);
  case TensorOpFamily::Pool:
    return pool::pool(op, in, d);
  case TensorOpFamily::Loss:
    return loss::loss(op, in, d);
  }
  return {};
}

} // namespace ksynth::spec
