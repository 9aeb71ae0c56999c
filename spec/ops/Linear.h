// transpose and matmul over any domain D (spec/Semantics.h).
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Params.h"

namespace ksynth::spec::lin {

// Swaps two dims: data movement only, every value kept as it is.
template <class V>
Tensor<V> transpose(const OpNode &op,
                    const std::vector<const Tensor<V> *> &in) {
  TransposeParams p = transposeParams(op, typesOf(in));
  Tensor<V> out;
  out.type = {in[0]->type.dtype, p.outDims};
  std::vector<int64_t> inStrides = stridesOf(p.inDims);
  if (!p.inDims.empty())
    std::swap(inStrides[p.dim0], inStrides[p.dim1]);
  int64_t n = product(p.outDims);
  out.data.reserve(n);
  for (int64_t flat = 0; flat < n; ++flat) {
    int64_t rest = flat, src = 0;
    for (size_t i = p.outDims.size(); i-- > 0;) {
      src += (rest % p.outDims[i]) * inStrides[i];
      rest /= p.outDims[i];
    }
    out.data.push_back(in[0]->data[src]);
  }
  return out;
}

// matmul with PyTorch's broadcasting: out[b, i, j] = sum_p a[b, i, p] *
// b[b, p, j], each product rounded, summed as a left fold from +0 in order
// of p (PyTorch's BLAS order is unspecified: a spec needs a tolerance).
template <class D, class V = typename D::Val>
Tensor<V> matmul(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                 D &d) {
  MatmulParams p = matmulParams(op, typesOf(in));
  Tensor<V> out;
  out.type = {DType::Float32, p.outDims};
  int64_t batches = product(p.outBatch);
  out.data.reserve(batches * p.n * p.m);
  for (int64_t b = 0; b < batches; ++b) {
    int64_t a0 = broadcastIndex(p.outBatch, p.aBatch, b) * p.n * p.k;
    int64_t b0 = broadcastIndex(p.outBatch, p.bBatch, b) * p.k * p.m;
    for (int64_t i = 0; i < p.n; ++i)
      for (int64_t j = 0; j < p.m; ++j) {
        V acc = d.f32(0.0f);
        for (int64_t k = 0; k < p.k; ++k)
          acc = d.add(acc, d.mul(in[0]->data[a0 + i * p.k + k],
                                 in[1]->data[b0 + k * p.m + j]));
        out.data.push_back(acc);
      }
  }
  return out;
}

} // namespace ksynth::spec::lin
