// softmax, log_softmax, layer_norm, rms_norm and batch_norm (inference),
// over any domain D (spec/Semantics.h). Formulas: docs/semantics.md.
#pragma once

#include "spec/Semantics.h"
#include "spec/Tensor.h"
#include "spec/ops/Index.h"
#include "spec/ops/Params.h"
#include "spec/ops/Reductions.h"

#include <vector>

namespace ksynth::spec::norm {

// softmax / log_softmax, as PyTorch's CPU kernel: over the line along
// `dim`, m = max with NaN propagation, s = sum exp(x_j - m) (left fold from
// +0); softmax_j = exp(x_j - m) / s, log_softmax_j = (x_j - m) - log(s).
// The line's shared work (m, s) is `softmaxStats`, an element from it
// `softmaxOf`: the value at an index (`softmaxAt`, the verifier's reference
// at a symbolic index) and the interpreter's line by line tabulation
// (`softmax`) are both built from these two.
template <class V> struct SoftmaxStats { V m, s; };
template <class D, class V = typename D::Val>
SoftmaxStats<V> softmaxStats(D &d, const std::vector<V> &xs) {
  V m = xs[0];
  for (size_t j = 1; j < xs.size(); ++j)
    m = sem::maximum(d, m, xs[j]);
  std::vector<V> e;
  for (const V &x : xs)
    e.push_back(d.exp(d.sub(x, m)));
  return {m, red::sumOf(d, e)};
}
template <class D, class V = typename D::Val>
V softmaxOf(D &d, const SoftmaxStats<V> &st, const V &x, bool logOut) {
  V shifted = d.sub(x, st.m);
  if (logOut)
    return d.sub(shifted, d.log(st.s));
  return d.div(d.exp(shifted), st.s);
}

// Every element of one line (cross_entropy's log_softmax of a row).
template <class D, class V = typename D::Val>
std::vector<V> softmaxLine(D &d, const std::vector<V> &xs, bool logOut) {
  SoftmaxStats<V> st = softmaxStats(d, xs);
  std::vector<V> out;
  for (const V &x : xs)
    out.push_back(softmaxOf(d, st, x, logOut));
  return out;
}

// The flat index (domain X) of position j of the line along p.dim through
// the element whose coordinates are `c`.
template <class X>
typename X::I lineIndexAt(const DimParams &p,
                          const std::vector<typename X::I> &c, int64_t j) {
  std::vector<int64_t> strides =
      stridesOf(p.dims.empty() ? std::vector<int64_t>{1} : p.dims);
  std::vector<bool> use(c.size(), true);
  use[static_cast<size_t>(p.dim)] = false;
  return linearAt<X>(c, strides, use, j * strides[static_cast<size_t>(p.dim)]);
}

// Output element `flat` (an index of domain X), the input read at flat
// index i as `read(i)`.
template <class D, class X, class Read>
typename D::Val softmaxAt(const OpNode &op, const DimParams &p, D &d,
                          const typename X::I &flat, Read read) {
  // (A 0-d input is a line of one element.)
  std::vector<typename X::I> c =
      coordsOf<X>(p.dims.empty() ? std::vector<int64_t>{1} : p.dims, flat);
  std::vector<typename D::Val> xs;
  for (int64_t j = 0; j < p.len; ++j)
    xs.push_back(read(lineIndexAt<X>(p, c, j)));
  return softmaxOf(d, softmaxStats(d, xs), read(flat), op.op == "log_softmax");
}

// The whole tensor, line by line (the line's work done once).
template <class D, class V = typename D::Val>
Tensor<V> softmax(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                  D &d) {
  DimParams p = dimParams(op, typesOf(in));
  Tensor<V> out{in[0]->type, in[0]->data};
  std::vector<V> line;
  for (int64_t o = 0; o < p.outer; ++o)
    for (int64_t i = 0; i < p.inner; ++i) {
      line.clear();
      for (int64_t j = 0; j < p.len; ++j)
        line.push_back(in[0]->data[(o * p.len + j) * p.inner + i]);
      SoftmaxStats<V> st = softmaxStats(d, line);
      for (int64_t j = 0; j < p.len; ++j)
        out.data[(o * p.len + j) * p.inner + i] = softmaxOf(
            d, st, line[static_cast<size_t>(j)], op.op == "log_softmax");
    }
  return out;
}

// layer_norm over rows of the last k dims: mean = sum(x) / n, var =
// sum((x - mean)^2) / n (biased), rstd = 1 / sqrt(var + eps), y = (x - mean)
// * rstd, then y * weight, then + bias. rms_norm: y = x * (1 / sqrt(sum(x
// * x) / n + eps)), then * weight. group_norm and instance_norm: the same
// mean and rstd per group of a sample (spec/ops/Params.h RowNormParams);
// with neither weight nor bias (group_norm) y = (x - mean) * rstd, as
// PyTorch's group norm kernel; otherwise, as its affine path and as
// batch_norm's transform (instance_norm is batch_norm on batch statistics),
// per channel c: scale = rstd * weight_c (no weight: rstd), shift = bias_c
// - scale * mean (no bias: 0 - scale * mean), y = x * scale + shift.
// The row's shared work (mean, rstd) is `rowNormStats`, an element from
// it `rowNormOf`; `rowNormAt` (value at an index) and `rowNorm` (the
// interpreter, row by row) are built from these two.
template <class V> struct RowNormStats { V mean, rstd; };
template <class D, class V = typename D::Val>
RowNormStats<V> rowNormStats(const OpNode &op, const RowNormParams &p, D &d,
                             const std::vector<V> &row) {
  V n = d.num(static_cast<double>(p.inner)), eps = d.f32(p.eps);
  V one = d.f32(1.0f);
  std::vector<V> terms;
  if (op.op == "rms_norm") {
    for (const V &x : row)
      terms.push_back(d.mul(x, x));
    return {d.f32(0.0f),
            d.div(one, d.sqrt(d.add(d.div(red::sumOf(d, terms), n), eps)))};
  }
  V mean = d.div(red::sumOf(d, row), n);
  for (const V &x : row) {
    V c = d.sub(x, mean);
    terms.push_back(d.mul(c, c));
  }
  V var = d.div(red::sumOf(d, terms), n);
  return {mean, d.div(one, d.sqrt(d.add(var, eps)))};
}

// Element j (an X::I) of row r, of value x; operand k (1 the weight, 2 the
// bias) read at flat index i as `read(k, i)`.
template <class D, class X, class Read>
typename D::Val rowNormOf(const OpNode &op, const RowNormParams &p, D &d,
                          const RowNormStats<typename D::Val> &st,
                          const typename D::Val &x, const typename X::I &r,
                          const typename X::I &j, Read read) {
  using V = typename D::Val;
  using I = typename X::I;
  bool shiftForm =
      p.byChannel && (p.hasWeight || p.hasBias || op.op == "instance_norm");
  if (shiftForm) {
    I c = affine<X>(
        {{X::mod(r, p.groups), p.groupChannels}, {X::div(j, p.spatial), 1}}, 0);
    V scale = p.hasWeight
                  ? d.mul(st.rstd, read(1, p.weightScalar ? X::c(0) : c))
                  : st.rstd;
    V shift =
        d.sub(p.hasBias ? read(2, p.biasScalar ? X::c(0) : c) : d.f32(0.0f),
              d.mul(scale, st.mean));
    return d.add(d.mul(x, scale), shift);
  }
  V y = op.op == "rms_norm" ? d.mul(x, st.rstd)
                            : d.mul(d.sub(x, st.mean), st.rstd);
  if (p.hasWeight)
    y = d.mul(y, read(1, p.weightScalar ? X::c(0) : j));
  if (p.hasBias)
    y = d.add(y, read(2, p.biasScalar ? X::c(0) : j));
  return y;
}

// Output element `flat` (an index of domain X), operand k read at flat
// index i as `read(k, i)`.
template <class D, class X, class Read>
typename D::Val rowNormAt(const OpNode &op, const RowNormParams &p, D &d,
                          const typename X::I &flat, Read read) {
  std::vector<typename X::I> rc = coordsOf<X>({p.outer, p.inner}, flat);
  std::vector<typename D::Val> row;
  for (int64_t t = 0; t < p.inner; ++t)
    row.push_back(read(0, affine<X>({{rc[0], p.inner}}, t)));
  RowNormStats<typename D::Val> st = rowNormStats(op, p, d, row);
  return rowNormOf<D, X>(op, p, d, st, read(0, flat), rc[0], rc[1], read);
}

// The whole tensor, row by row (the row's work done once).
template <class D, class V = typename D::Val>
Tensor<V> rowNorm(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                  D &d) {
  RowNormParams p = rowNormParams(op, typesOf(in));
  Tensor<V> out{in[0]->type, in[0]->data};
  auto read = [&](size_t k, int64_t i) { return in[k]->data[i]; };
  std::vector<V> row;
  for (int64_t r = 0; r < p.outer; ++r) {
    row.assign(in[0]->data.begin() + r * p.inner,
               in[0]->data.begin() + (r + 1) * p.inner);
    RowNormStats<V> st = rowNormStats(op, p, d, row);
    for (int64_t j = 0; j < p.inner; ++j)
      out.data[r * p.inner + j] = rowNormOf<D, IntIndex>(
          op, p, d, st, row[static_cast<size_t>(j)], r, j, read);
  }
  return out;
}

// batch_norm, inference, as PyTorch's CPU kernel: per channel c, invstd =
// 1 / sqrt(var_c + eps), alpha = invstd * weight_c (weight absent: invstd),
// beta = bias_c - mean_c * alpha (bias absent: 0 - mean_c * alpha); y = x *
// alpha + beta. Output element `flat` (an index of domain X), operand k
// (0 x, 1 running_mean, 2 running_var, 3 weight, 4 bias) read at flat
// index i as `read(k, i)`.
// A channel's shared work is `batchNormChannel` (alpha, beta of channel
// c, an X::I); `batchNormAt` (value at an index) and `batchNorm` (the
// interpreter, channel by channel) are built from it.
template <class V> struct BatchNormChannel { V alpha, beta; };
template <class D, class X, class Read>
BatchNormChannel<typename D::Val> batchNormChannel(const BatchNormParams &p,
                                                   D &d, const typename X::I &c,
                                                   Read read) {
  using V = typename D::Val;
  auto chan = [&](size_t k) {
    return read(k, p.perChannel[k - 1] ? c : X::c(0));
  };
  V eps = d.f32(p.eps);
  V invstd = d.div(d.f32(1.0f), d.sqrt(d.add(chan(2), eps)));
  V alpha = p.hasWeight ? d.mul(invstd, chan(3)) : invstd;
  V beta = d.sub(p.hasBias ? chan(4) : d.f32(0.0f), d.mul(chan(1), alpha));
  return {alpha, beta};
}
template <class D, class X, class Read>
typename D::Val batchNormAt(const BatchNormParams &p, D &d,
                            const typename X::I &flat, Read read) {
  std::vector<typename X::I> nc = coordsOf<X>({p.n, p.c, p.spatial}, flat);
  BatchNormChannel<typename D::Val> ch =
      batchNormChannel<D, X>(p, d, nc[1], read);
  return d.add(d.mul(read(0, flat), ch.alpha), ch.beta);
}

// The whole tensor, channel by channel (the channel's work done once).
template <class D, class V = typename D::Val>
Tensor<V> batchNorm(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                    D &d) {
  BatchNormParams p = batchNormParams(op, typesOf(in));
  Tensor<V> out{in[0]->type, in[0]->data};
  auto read = [&](size_t k, int64_t i) { return in[k]->data[i]; };
  for (int64_t c = 0; c < p.c; ++c) {
    BatchNormChannel<V> ch = batchNormChannel<D, IntIndex>(p, d, c, read);
    for (int64_t n = 0; n < p.n; ++n)
      for (int64_t s = 0; s < p.spatial; ++s) {
        int64_t i = (n * p.c + c) * p.spatial + s;
        out.data[i] = d.add(d.mul(in[0]->data[i], ch.alpha), ch.beta);
      }
  }
  return out;
}

} // namespace ksynth::spec::norm
