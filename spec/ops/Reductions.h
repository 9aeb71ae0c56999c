// Reductions along dims (sum, mean, prod, max, min, argmax, argmin, norm)
// and the scan cumsum, over any domain D (spec/Semantics.h).
//
// Sums and products are left folds in index order (row-major over the
// reduced dims), a sum starting from +0 and a product from 1: the sum of
// only -0 terms is +0, as in PyTorch's CPU sum, which fills the output with
// 0 and adds. PyTorch's own summation order is unspecified (it is blocked
// and vectorised), so a spec with these ops must declare a tolerance.
//
// max/min (values) and argmax/argmin follow PyTorch's max/min kernels: the
// first NaN wins, otherwise the first extreme element by IEEE comparison,
// so of -0 and +0 the one listed first. The value is always the element at
// the returned index.
#pragma once

#include "spec/OpAttrs.h"
#include "spec/Semantics.h"
#include "spec/Tensor.h"
#include "spec/ops/Params.h"

namespace ksynth::spec::red {

template <class D, class V = typename D::Val>
V sumOf(D &d, const std::vector<V> &xs) {
  V acc = d.f32(0.0f);
  for (const V &x : xs)
    acc = d.add(acc, x);
  return acc;
}

// Index of the extreme element of `xs` (first NaN; else first max/min) and
// its value. PyTorch: `if (!(x <= best)) { best = x; idx = k; if (isnan(x))
// break; }` (max), with `>=` for min.
template <class D, class V = typename D::Val>
std::pair<V, V> extreme(D &d, const std::vector<V> &xs, bool isMax) {
  V best = xs[0], idx = d.i64(0);
  for (size_t k = 1; k < xs.size(); ++k) {
    V keep = isMax ? d.le(xs[k], best) : d.ge(xs[k], best);
    V take = d.land(d.lnot(d.isnan(best)), d.lnot(keep));
    best = d.select(take, xs[k], best);
    idx = d.select(take, d.i64(static_cast<int64_t>(k)), idx);
  }
  return {best, idx};
}

template <class D, class V = typename D::Val>
V reduceOne(const OpNode &op, D &d, const std::vector<V> &xs) {
  const std::string &o = op.op;
  if (o == "sum")
    return sumOf(d, xs);
  if (o == "mean")
    return d.div(sumOf(d, xs), d.num(static_cast<double>(xs.size())));
  if (o == "prod") {
    V acc = d.f32(1.0f);
    for (const V &x : xs)
      acc = d.mul(acc, x);
    return acc;
  }
  if (o == "max" || o == "min")
    return extreme(d, xs, o == "max").first;
  if (o == "argmax" || o == "argmin")
    return extreme(d, xs, o == "argmax").second;
  // norm
  std::string p = normOrder(op);
  std::vector<V> ys;
  for (const V &x : xs)
    ys.push_back(p == "1" || p == "inf" ? d.abs(x) : d.mul(x, x));
  if (p == "1")
    return sumOf(d, ys);
  if (p == "inf") { // max |x|, NaN propagating
    V m = ys[0];
    for (size_t k = 1; k < ys.size(); ++k)
      m = sem::maximum(d, m, ys[k]);
    return m;
  }
  return d.sqrt(sumOf(d, ys)); // 2, "fro"
}

template <class D, class V = typename D::Val>
Tensor<V> reduce(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                 D &d) {
  ReduceParams p = reduceParams(op, typesOf(in));
  Tensor<V> out;
  out.type.dtype =
      op.op == "argmax" || op.op == "argmin" ? DType::Int64 : DType::Float32;
  out.type.dims = p.outDims;
  std::vector<V> xs;
  for (int64_t base : p.outerOffsets) {
    xs.clear();
    for (int64_t off : p.innerOffsets)
      xs.push_back(in[0]->data[base + off]);
    out.data.push_back(reduceOne(op, d, xs));
  }
  return out;
}

// cumsum along `dim`: inclusive (y_i = x_0 + ... + x_i) or exclusive
// (y_i = x_0 + ... + x_{i-1}, y_0 = +0), forward or reverse (summing from
// the last element). A left fold from +0 in scan order.
template <class D, class V = typename D::Val>
Tensor<V> cumsum(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                 D &d) {
  DimParams p = dimParams(op, typesOf(in));
  bool exclusive = attrBool(op, "exclusive", false);
  bool reverse = attrBool(op, "reverse", false);
  Tensor<V> out{in[0]->type, in[0]->data};
  for (int64_t o = 0; o < p.outer; ++o)
    for (int64_t i = 0; i < p.inner; ++i) {
      V acc = d.f32(0.0f);
      for (int64_t s = 0; s < p.len; ++s) {
        int64_t j = reverse ? p.len - 1 - s : s;
        int64_t at = (o * p.len + j) * p.inner + i;
        V next = d.add(acc, in[0]->data[at]);
        out.data[at] = exclusive ? acc : next;
        acc = next;
      }
    }
  return out;
}

} // namespace ksynth::spec::red
