// transpose, triu, tril (the Layout family, `layoutAt`) and matmul over any
// domain D (spec/Semantics.h), each written once as its value at one output
// index over an index domain X (spec/ops/Index.h): `transposeAt`, `triAt`
// and `matmulAt`, dispatched by spec/ops/Apply.h `withValueAt`. The
// interpreter's whole tensors are those values at every index in turn; the
// verifier's reference at a symbolic index
// (verify/methods/SymbolicReferenceAt.cpp) evaluates the same functions over
// index terms, and its fold of a long matmul
// (verify/methods/ReferenceFolds.cpp) is built from `matmulLinesAt` and
// `matmulStep`.
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Index.h"
#include "spec/ops/Params.h"

#include <utility>
#include <vector>

namespace ksynth::spec::lin {

// transpose swaps two dims: data movement only, every value kept as it is.
// The input index of output element `flat`.
template <class X>
typename X::I transposeAt(const TransposeParams &p, const typename X::I &flat) {
  if (p.inDims.empty())
    return flat;
  std::vector<int64_t> inStrides = stridesOf(p.inDims);
  std::swap(inStrides[static_cast<size_t>(p.dim0)],
            inStrides[static_cast<size_t>(p.dim1)]);
  std::vector<typename X::I> c = coordsOf<X>(p.outDims, flat);
  std::vector<bool> use(c.size());
  for (size_t i = 0; i < c.size(); ++i)
    use[i] = p.outDims[i] != 1;
  return linearAt<X>(c, inStrides, use, 0);
}

// triu / tril: element (i, j) of each matrix (the last two dims) where j -
// i >= diagonal (triu) or j - i <= diagonal (tril), else +0 (a NaN or -0
// masked out is +0, as PyTorch's zero fill). Exact: no tolerance needed.
// The value at output index `flat`.
template <class D, class X, class Read>
typename D::Val triAt(const TriParams &p, D &d, const typename X::I &flat,
                      Read read) {
  using I = typename X::I;
  std::vector<I> c = coordsOf<X>(p.dims, flat);
  const I &i = c[c.size() - 2], &j = c[c.size() - 1];
  // a + k < b for indices a, b and a constant k (either sign): one of the
  // two sides gets the non-negative constant.
  auto below = [](const I &a, int64_t k, const I &b) {
    if (k == 0)
      return X::less(a, b);
    return k > 0 ? X::less(X::add(a, X::c(k)), b)
                 : X::less(a, X::add(b, X::c(-k)));
  };
  // triu: j - i >= diagonal, that is not j - diagonal < i; tril: j - i <=
  // diagonal, that is j - (diagonal + 1) < i.
  typename X::B keep = p.upper ? X::no(below(j, -p.diagonal, i))
                               : below(j, -(p.diagonal + 1), i);
  return X::when(
      d, keep, [&] { return read(flat); }, d.f32(0.0f));
}

// The Layout family (spec/OpTable.h): calls `k(at)` with `at(flat)` the
// value at output index `flat`, operand j read at flat index i as
// `read(j, i)` (spec/ops/Apply.h withValueAt).
template <class D, class X, class Read, class K>
void layoutAt(const OpNode &op, const std::vector<TensorType> &in, D &d,
              Read read, K k) {
  using I = typename X::I;
  if (op.op == "triu" || op.op == "tril") {
    TriParams p = triParams(op, in);
    k([&, p](const I &flat) {
      return triAt<D, X>(p, d, flat, [&](const I &i) { return read(0, i); });
    });
    return;
  }
  TransposeParams p = transposeParams(op, in);
  k([&, p](const I &flat) { return read(0, transposeAt<X>(p, flat)); });
}

// matmul with PyTorch's broadcasting: out[b, i, j] = sum_k a[b, i, k] *
// b[b, k, j], each product rounded, summed as a left fold from +0 in order
// of k (PyTorch's BLAS order is unspecified: a spec needs a tolerance).
//
// The flat indices in a and in b of output element `flat`'s first product
// (k = 0); product k reads a at +k and b at +k*m.
template <class X>
std::pair<typename X::I, typename X::I>
matmulLinesAt(const MatmulParams &p, const typename X::I &flat) {
  using I = typename X::I;
  std::vector<int64_t> full = p.outBatch;
  full.push_back(p.n);
  full.push_back(p.m);
  std::vector<I> c = coordsOf<X>(full, flat);
  size_t nb = p.outBatch.size();
  const I &i = c[nb], &j = c[nb + 1];
  // The batch offset of an operand with batch dims `from` (broadcast to
  // outBatch, right-aligned).
  auto batchOf = [&](const std::vector<int64_t> &from, int64_t block) {
    std::vector<std::pair<I, int64_t>> terms;
    std::vector<int64_t> fs = stridesOf(from);
    for (size_t q = 0; q < from.size(); ++q) {
      size_t o = nb - from.size() + q;
      if (from[q] != 1)
        terms.push_back({c[o], fs[q] * block});
    }
    return terms;
  };
  std::vector<std::pair<I, int64_t>> aT = batchOf(p.aBatch, p.n * p.k);
  std::vector<std::pair<I, int64_t>> bT = batchOf(p.bBatch, p.k * p.m);
  if (p.n != 1)
    aT.push_back({i, p.k});
  if (p.m != 1)
    bT.push_back({j, 1});
  return {affine<X>(aT, 0), affine<X>(bT, 0)};
}

// One step of the fold: acc + a * b, each rounded.
template <class D, class V = typename D::Val>
V matmulStep(D &d, const V &acc, const V &a, const V &b) {
  return d.add(acc, d.mul(a, b));
}

// Output element `flat` (an index of domain X); `readA(i)` / `readB(i)`
// are the operands' elements at flat indices i.
template <class D, class X, class ReadA, class ReadB>
typename D::Val matmulAt(const MatmulParams &p, D &d, const typename X::I &flat,
                         ReadA readA, ReadB readB) {
  auto [a0, b0] = matmulLinesAt<X>(p, flat);
  typename D::Val acc = d.f32(0.0f);
  for (int64_t k = 0; k < p.k; ++k)
    acc = matmulStep(d, acc, readA(offsetBy<X>(a0, k)),
                     readB(offsetBy<X>(b0, k * p.m)));
  return acc;
}

} // namespace ksynth::spec::lin
