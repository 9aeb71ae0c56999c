// softmax, log_softmax, layer_norm, rms_norm and batch_norm (inference),
// over any domain D (spec/Semantics.h). Formulas: docs/semantics.md.
#pragma once

#include "spec/Semantics.h"
#include "spec/Tensor.h"
#include "spec/ops/Params.h"
#include "spec/ops/Reductions.h"

namespace ksynth::spec::norm {

// softmax / log_softmax of one line, as PyTorch's CPU kernel: m = max with
// NaN propagation, e_j = exp(x_j - m), s = sum e_j (left fold from +0);
// softmax_j = e_j / s, log_softmax_j = (x_j - m) - log(s).
template <class D, class V = typename D::Val>
std::vector<V> softmaxLine(D &d, const std::vector<V> &xs, bool logOut) {
  V m = xs[0];
  for (size_t j = 1; j < xs.size(); ++j)
    m = sem::maximum(d, m, xs[j]);
  std::vector<V> shifted, e;
  for (const V &x : xs) {
    shifted.push_back(d.sub(x, m));
    e.push_back(d.exp(shifted.back()));
  }
  V s = red::sumOf(d, e);
  std::vector<V> out;
  if (logOut) {
    V ls = d.log(s);
    for (const V &t : shifted)
      out.push_back(d.sub(t, ls));
  } else {
    for (const V &x : e)
      out.push_back(d.div(x, s));
  }
  return out;
}

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
      std::vector<V> r = softmaxLine(d, line, op.op == "log_softmax");
      for (int64_t j = 0; j < p.len; ++j)
        out.data[(o * p.len + j) * p.inner + i] = r[j];
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
template <class D, class V = typename D::Val>
Tensor<V> rowNorm(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                  D &d) {
  RowNormParams p = rowNormParams(op, typesOf(in));
  bool rms = op.op == "rms_norm";
  Tensor<V> out{in[0]->type, in[0]->data};
  V n = d.num(static_cast<double>(p.inner)), eps = d.f32(p.eps);
  V one = d.f32(1.0f);
  std::vector<V> row, terms;
  for (int64_t r = 0; r < p.outer; ++r) {
    row.assign(in[0]->data.begin() + r * p.inner,
               in[0]->data.begin() + (r + 1) * p.inner);
    V mean = d.f32(0.0f), rstd = d.f32(0.0f);
    terms.clear();
    if (rms) {
      for (const V &x : row)
        terms.push_back(d.mul(x, x));
      rstd = d.div(one, d.sqrt(d.add(d.div(red::sumOf(d, terms), n), eps)));
    } else {
      mean = d.div(red::sumOf(d, row), n);
      for (const V &x : row) {
        V c = d.sub(x, mean);
        terms.push_back(d.mul(c, c));
      }
      V var = d.div(red::sumOf(d, terms), n);
      rstd = d.div(one, d.sqrt(d.add(var, eps)));
    }
    bool shiftForm =
        p.byChannel && (p.hasWeight || p.hasBias || op.op == "instance_norm");
    for (int64_t j = 0; shiftForm && j < p.inner; ++j) {
      int64_t c = (r % p.groups) * p.groupChannels + j / p.spatial;
      V scale =
          p.hasWeight ? d.mul(rstd, in[1]->data[p.weightScalar ? 0 : c]) : rstd;
      V shift =
          d.sub(p.hasBias ? in[2]->data[p.biasScalar ? 0 : c] : d.f32(0.0f),
                d.mul(scale, mean));
      out.data[r * p.inner + j] = d.add(d.mul(row[j], scale), shift);
    }
    for (int64_t j = 0; !shiftForm && j < p.inner; ++j) {
      V y = rms ? d.mul(row[j], rstd) : d.mul(d.sub(row[j], mean), rstd);
      if (p.hasWeight)
        y = d.mul(y, in[1]->data[p.weightScalar ? 0 : j]);
      if (p.hasBias)
        y = d.add(y, in[2]->data[p.biasScalar ? 0 : j]);
      out.data[r * p.inner + j] = y;
    }
  }
  return out;
}

// batch_norm, inference, as PyTorch's CPU kernel: per channel c, invstd =
// 1 / sqrt(var_c + eps), alpha = invstd * weight_c (weight absent: invstd),
// beta = bias_c - mean_c * alpha (bias absent: 0 - mean_c * alpha); y = x *
// alpha + beta.
template <class D, class V = typename D::Val>
Tensor<V> batchNorm(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                    D &d) {
  BatchNormParams p = batchNormParams(op, typesOf(in));
  auto at = [&](size_t k, int64_t c) {
    return in[k]->data[p.perChannel[k - 1] ? c : 0];
  };
  Tensor<V> out{in[0]->type, in[0]->data};
  V eps = d.f32(p.eps);
  for (int64_t c = 0; c < p.c; ++c) {
    V invstd = d.div(d.f32(1.0f), d.sqrt(d.add(at(2, c), eps)));
    V alpha = p.hasWeight ? d.mul(invstd, at(3, c)) : invstd;
    V beta = d.sub(p.hasBias ? at(4, c) : d.f32(0.0f), d.mul(at(1, c), alpha));
    for (int64_t n = 0; n < p.n; ++n)
      for (int64_t s = 0; s < p.spatial; ++s) {
        int64_t i = (n * p.c + c) * p.spatial + s;
        out.data[i] = d.add(d.mul(in[0]->data[i], alpha), beta);
      }
  }
  return out;
}

} // namespace ksynth::spec::norm
