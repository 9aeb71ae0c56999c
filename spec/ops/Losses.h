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
//   kl_div(x, t):              xlogy(t, t) - t * x (xlogy(t, t): t NaN ->
//                              NaN, t == 0 -> 0, else t * log(t)); with
//                              log_target: exp(t) * (t - x)
//   triplet_margin_loss(a, p, n): per row, clamp_min(margin + d(a, p) -
//                              d(a, n), 0) with d(u, v) = norm_p(u - v +
//                              eps) over the last dim (p 1: sum |.|, p 2:
//                              sqrt(sum of squares), left folds from +0);
//                              swap: d(a, n) = minimum(d(a, n), d(p, n))
// "sum" is a left fold from +0 in row-major order; "mean" divides it by the
// element count (cross_entropy with class indices: by the number of rows
// not ignored, so all ignored gives 0/0 = NaN, as PyTorch); "batchmean"
// (kl_div) divides the sum by the input's first dim (a 0-d input: the sum).
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
  if (op.op == "kl_div") {
    if (attrBool(op, "log_target", false))
      return d.mul(d.exp(y), d.sub(y, x));
    V xlogy = d.select(
        d.isnan(y), y,
        d.select(d.eq(y, d.f32(0.0f)), d.f32(0.0f), d.mul(y, d.log(y))));
    return d.sub(xlogy, d.mul(y, x));
  }
  // hinge_loss
  return sem::clampLow(d, d.sub(d.f32(1.0f), d.mul(y, x)), d.f32(0.0f));
}

// triplet_margin_loss: PyTorch's pairwise_distance of two rows of n
// elements, norm_p(u - v + eps) along the row.
template <class D, class V = typename D::Val>
V pairwiseDistance(D &d, const V *u, const V *v, int64_t n, bool p1,
                   const V &eps) {
  V acc = d.f32(0.0f);
  for (int64_t j = 0; j < n; ++j) {
    V t = d.add(d.sub(u[j], v[j]), eps);
    acc = d.add(acc, p1 ? d.abs(t) : d.mul(t, t));
  }
  return p1 ? acc : d.sqrt(acc);
}

template <class D, class V = typename D::Val>
Tensor<V> loss(const OpNode &op, const std::vector<const Tensor<V> *> &in,
               D &d) {
  LossParams p = lossParams(op, typesOf(in));
  using R = LossParams::Reduction;
  std::vector<V> per;     // per element / per row
  std::vector<V> counted; // cross_entropy class indices: 1 or 0 per row
  if (op.op == "triplet_margin_loss") {
    bool p1 = attrF32(op, "p", 2.0f) == 1.0f,
         swap = attrBool(op, "swap", false);
    V eps = d.f32(attrF32(op, "eps", 1e-6f));
    V margin = d.f32(attrF32(op, "margin", 1.0f));
    for (int64_t r = 0; r < p.rows; ++r) {
      const V *a = in[0]->data.data() + r * p.classes;
      const V *pos = in[1]->data.data() + r * p.classes;
      const V *neg = in[2]->data.data() + r * p.classes;
      V dp = pairwiseDistance(d, a, pos, p.classes, p1, eps);
      V dn = pairwiseDistance(d, a, neg, p.classes, p1, eps);
      if (swap)
        dn = sem::minimum(d, dn,
                          pairwiseDistance(d, pos, neg, p.classes, p1, eps));
      per.push_back(
          sem::clampLow(d, d.sub(d.add(margin, dp), dn), d.f32(0.0f)));
    }
  } else if (op.op != "cross_entropy") {
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
  if (p.reduction == R::BatchMean && !p.inDims.empty())
    total = d.div(total, d.num(static_cast<double>(p.inDims[0])));
  out.data.push_back(total);
  return out;
}

} // namespace ksynth::spec::loss
