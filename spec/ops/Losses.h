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
// Written once as the value at one output index (`lossAt`, dispatched by
// spec/ops/Apply.h `withValueAt`): the interpreter tabulates it, the
// verifier's reference evaluates it at a symbolic index.
#pragma once

#include "spec/Semantics.h"
#include "spec/Tensor.h"
#include "spec/ops/Index.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Params.h"
#include "spec/ops/Reductions.h"

#include <limits>
#include <vector>

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
// elements, norm_p(u - v + eps) along the row (`u(j)`, `v(j)`: element j).
template <class D, class U, class W, class V = typename D::Val>
V pairwiseDistance(D &d, U u, W v, int64_t n, bool p1, const V &eps) {
  V acc = d.f32(0.0f);
  for (int64_t j = 0; j < n; ++j) {
    V t = d.add(d.sub(u(j), v(j)), eps);
    acc = d.add(acc, p1 ? d.abs(t) : d.mul(t, t));
  }
  return p1 ? acc : d.sqrt(acc);
}

// Output element `flat` (an index of domain X, spec/ops/Index.h), operand
// k read at flat index i as `read(k, i)`: the loss of one element (of one
// row for cross_entropy and triplet_margin_loss) for "none", otherwise
// (flat is 0) the left fold from +0 of every element's loss, divided as
// the reduction says.
template <class D, class X, class Read>
typename D::Val lossAt(const OpNode &op, const LossParams &p, D &d,
                       const typename X::I &flat, Read read) {
  using V = typename D::Val;
  using I = typename X::I;
  using R = LossParams::Reduction;
  bool ce = op.op == "cross_entropy", triplet = op.op == "triplet_margin_loss";
  // Element (or row) e's loss.
  auto per = [&](const I &e) -> V {
    auto rowAt = [&](size_t k) {
      return [&, k](int64_t j) {
        return read(k, affine<X>({{e, p.classes}}, j));
      };
    };
    if (triplet) {
      bool p1 = attrF32(op, "p", 2.0f) == 1.0f,
           swap = attrBool(op, "swap", false);
      V eps = d.f32(attrF32(op, "eps", 1e-6f));
      V margin = d.f32(attrF32(op, "margin", 1.0f));
      V dp = pairwiseDistance(d, rowAt(0), rowAt(1), p.classes, p1, eps);
      V dn = pairwiseDistance(d, rowAt(0), rowAt(2), p.classes, p1, eps);
      if (swap)
        dn = sem::minimum(
            d, dn, pairwiseDistance(d, rowAt(1), rowAt(2), p.classes, p1, eps));
      return sem::clampLow(d, d.sub(d.add(margin, dp), dn), d.f32(0.0f));
    }
    if (!ce)
      return pointwise(op, d, read(0, e), read(1, e));
    std::vector<V> row;
    for (int64_t k = 0; k < p.classes; ++k)
      row.push_back(read(0, affine<X>({{e, p.classes}}, k)));
    std::vector<V> lsm = norm::softmaxLine(d, row, true);
    if (p.classIndices) {
      // An index outside [0, C) (PyTorch: an error) picks NaN; a row
      // whose index is ignore_index gives 0.
      V t = read(1, e);
      V picked = d.f32(std::numeric_limits<float>::quiet_NaN());
      for (int64_t k = 0; k < p.classes; ++k)
        picked =
            d.select(d.eq(t, d.i64(k)), lsm[static_cast<size_t>(k)], picked);
      return d.select(d.eq(t, d.i64(p.ignoreIndex)), d.f32(0.0f),
                      d.neg(picked));
    }
    std::vector<V> terms;
    for (int64_t k = 0; k < p.classes; ++k)
      terms.push_back(d.mul(lsm[static_cast<size_t>(k)],
                            read(1, affine<X>({{e, p.classes}}, k))));
    return d.neg(red::sumOf(d, terms));
  };
  if (p.reduction == R::None)
    return per(flat);
  int64_t count = ce || triplet ? p.rows : product(p.inDims);
  std::vector<V> all;
  for (int64_t e = 0; e < count; ++e)
    all.push_back(per(X::c(e)));
  V total = red::sumOf(d, all);
  if (p.reduction == R::Mean) {
    if (ce && p.classIndices) {
      // Divided by the number of rows not ignored.
      std::vector<V> counted;
      for (int64_t e = 0; e < count; ++e)
        counted.push_back(d.select(d.eq(read(1, X::c(e)), d.i64(p.ignoreIndex)),
                                   d.f32(0.0f), d.f32(1.0f)));
      total = d.div(total, red::sumOf(d, counted));
    } else {
      total = d.div(total, d.num(static_cast<double>(all.size())));
    }
  }
  if (p.reduction == R::BatchMean && !p.inDims.empty())
    total = d.div(total, d.num(static_cast<double>(p.inDims[0])));
  return total;
}

} // namespace ksynth::spec::loss
