// Losses over any domain D (spec/Semantics.h), attr `reduction` "mean"
// (default), "sum" or "none". Formulas: docs/semantics.md.
//   mse_loss(x, y):            (x - y) * (x - y)
//   huber_loss(x, y), delta:   z = |x - y|; z < delta ? 0.5 * z * z
//                              : delta * (z - 0.5 * delta)
//   hinge_loss(x, y):          max(0, 1 - y * x) as relu (a NaN stays NaN)
//   cross_entropy(logits, t):  -log_softmax(logits)[t] per row (int64 class
//                              indices; ignore_index rows give 0 and are
//                              not counted by "mean"), or -sum_c(p_c *
//                              log_softmax_c) (float32 probabilities)
// "sum" is a left fold from +0 in row-major order; "mean" divides it by the
// element count (cross_entropy with class indices: by the number of rows
// not ignored, so all ignored gives 0/0 = NaN, as PyTorch).
#pragma once

#include "spec/Semantics.h"
#include "spec/Tensor.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Params.h"
#include "spec/ops/Reductions.h"

#include <limits>

namespace ksynth::spec::loss {

template <class D, class V = typename D::Val>
V pointwise(const OpNode &op, D &d, const V &x, const V &y) {
  if (op.op == "mse_loss") {
    V t = d.sub(x, y);
    return d.mul(t, t);
  }
  if (op.op == "huber_loss") {
    V delta = d.f32(attrF32(op, "delta", 1.0f)), half = d.f32(0.5f);
    V z = d.abs(d.sub(x, y));
    return d.select(d.lt(z, delta), d.mul(d.mul(half, z), z),
                    d.mul(delta, d.sub(z, d.mul(half, delta))));
  }
  // hinge_loss
  return sem::clampLow(d, d.sub(d.f32(1.0f), d.mul(y, x)), d.f32(0.0f));
}

template <class D, class V = typename D::Val>
Tensor<V> loss(const OpNode &op, const std::vector<const Tensor<V> *> &in,
               D &d) {
  LossParams p = lossParams(op, typesOf(in));
  using R = LossParams::Reduction;
  std::vector<V> per;     // per element / per row
  std::vector<V> counted; // cross_entropy class indices: 1 or 0 per row
  if (op.op != "cross_entropy") {
    for (size_t i = 0; i < in[0]->data.size(); ++i)
      per.push_back(pointwise(op, d, in[0]->data[i], in[1]->data[i]));
  } else {
    V nan = d.f32(std::numeric_limits<float>::quiet_NaN());
    for (int64_t r = 0; r < p.rows; ++r) {
      std::vector<V> row(in[0]->data.begin() + r * p.classes,
                         in[0]->data.begin() + (r + 1) * p.classes);
      std::vector<V> lsm = norm::softmaxLine(d, row, true);
      if (p.classIndices) {
        // An index outside [0, C) (PyTorch: an error) picks NaN.
        const V &t = in[1]->data[r];
        V picked = nan;
        for (int64_t c = 0; c < p.classes; ++c)
          picked = d.select(d.eq(t, d.i64(c)), lsm[c], picked);
        V ignored = d.eq(t, d.i64(p.ignoreIndex));
        per.push_back(d.select(ignored, d.f32(0.0f), d.neg(picked)));
        counted.push_back(d.select(ignored, d.f32(0.0f), d.f32(1.0f)));
      } else {
        std::vector<V> terms;
        for (int64_t c = 0; c < p.classes; ++c)
          terms.push_back(d.mul(lsm[c], in[1]->data[r * p.classes + c]));
        per.push_back(d.neg(red::sumOf(d, terms)));
      }
    }
  }
  Tensor<V> out;
  out.type = {DType::Float32, p.outDims};
  if (p.reduction == R::None) {
    out.data = std::move(per);
    return out;
  }
  V total = red::sumOf(d, per);
  if (p.reduction == R::Mean)
    total =
        d.div(total, counted.empty() ? d.num(static_cast<double>(per.size()))
                                     : red::sumOf(d, counted));
  out.data.push_back(total);
  return out;
}

} // namespace ksynth::spec::loss
