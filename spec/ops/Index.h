// Index domains: how a tensor op's value at one output index is written
// once (spec/ops/*.h `...At` functions) and instantiated both concretely
// (the interpreter: every flat index in turn, `tabulate`) and at a symbolic
// index (verify/methods/SymbolicReferenceAt.cpp: SymIndex, bit-vector terms).
//
// An index domain X provides (all static):
//   using I;                 // an index: int64, or a bv64 term
//   using B;                 // a condition on indices: bool, or a Bool term
//   I c(int64_t);            // a constant index
//   I add(I, I), mul(I, int64_t), div(I, int64_t), mod(I, int64_t);
//                            // non-negative operands, divisor > 0
//   B lit(bool); B lt(I, int64_t), eq(I, int64_t); B both(B, B), no(B);
//   B less(I, I);            // a < b for two indices
//   bool zero(I);            // I is the constant 0
//   std::optional<bool> known(B);    // B constant
//   std::optional<bool> decided(B);  // constant, or decided on the path
//   I pickI(B, I, I);
//   D::Val when(D &, B c, F then, D::Val other);
//                            // then() where c holds, else other; over
//                            // integers then() is called only where c holds
// Every index formed from an output coordinate is a non-negative integer
// below 2^62, so unsigned bit-vector operations agree with the integer
// ones (a negative constant offset wraps, and comes back in range when it
// is added: modular arithmetic). The helpers below (coordinates, strides) are
// written over X once.
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Params.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace ksynth::spec {

// The concrete index domain: plain integers.
struct IntIndex {
  using I = int64_t;
  using B = bool;
  static I c(int64_t v) { return v; }
  static I add(I a, I b) { return a + b; }
  static I mul(I a, int64_t k) { return a * k; }
  static I div(I a, int64_t k) { return a / k; }
  static I mod(I a, int64_t k) { return a % k; }
  static B lit(bool b) { return b; }
  static B lt(I a, int64_t k) { return a < k; }
  static B eq(I a, int64_t k) { return a == k; }
  static B less(I a, I b) { return a < b; }
  static B both(B a, B b) { return a && b; }
  static B no(B a) { return !a; }
  static bool zero(I a) { return a == 0; }
  static std::optional<bool> known(B b) { return b; }
  static std::optional<bool> decided(B b) { return b; }
  static I pickI(B cond, I a, I b) { return cond ? a : b; }
  template <class D, class F>
  static typename D::Val when(D &, B cond, F then,
                              const typename D::Val &other) {
    return cond ? then() : other;
  }
};

// The coordinates of a flat index into `dims` (row-major). The outermost
// dim of size above 1 takes the whole remaining quotient (no mod: the index
// is in range), dims of size 1 the coordinate 0, so that an index of a
// [M] tensor is its own coordinate.
template <class X>
std::vector<typename X::I> coordsOf(const std::vector<int64_t> &dims,
                                    typename X::I flat) {
  std::vector<typename X::I> c(dims.size(), X::c(0));
  size_t first = dims.size();
  for (size_t i = 0; i < dims.size(); ++i)
    if (dims[i] != 1) {
      first = i;
      break;
    }
  for (size_t i = dims.size(); i-- > 0;) {
    if (dims[i] == 1)
      continue;
    if (i == first) {
      c[i] = flat;
      break;
    }
    c[i] = X::mod(flat, dims[i]);
    flat = X::div(flat, dims[i]);
  }
  return c;
}

// sum(k) coord_k * stride_k + offset over the coordinates with use[k],
// skipping zero terms.
template <class X>
typename X::I linearAt(const std::vector<typename X::I> &coords,
                       const std::vector<int64_t> &strides,
                       const std::vector<bool> &use, int64_t offset) {
  std::optional<typename X::I> r;
  for (size_t i = 0; i < coords.size(); ++i) {
    if (!use[i] || strides[i] == 0 || X::zero(coords[i]))
      continue;
    typename X::I t =
        strides[i] == 1 ? coords[i] : X::mul(coords[i], strides[i]);
    r = r ? X::add(*r, t) : t;
  }
  if (!r)
    return X::c(offset);
  return offset == 0 ? *r : X::add(*r, X::c(offset));
}

// base + off for a constant off (base itself where off is 0): what
// linearAt(..., off) is when base is linearAt(..., 0), term for term.
template <class X>
typename X::I offsetBy(const typename X::I &base, int64_t off) {
  return off == 0 ? base : X::add(base, X::c(off));
}

// The terms a*k1 + b*k2 + ... + offset of index coordinates (a zero or
// unit factor is left out): linearAt over `terms`, term for term.
template <class X>
typename X::I
affine(const std::vector<std::pair<typename X::I, int64_t>> &terms,
       int64_t offset) {
  std::optional<typename X::I> r;
  for (const auto &[x, k] : terms) {
    if (k == 0 || X::zero(x))
      continue;
    typename X::I t = k == 1 ? x : X::mul(x, k);
    r = r ? X::add(*r, t) : t;
  }
  if (!r)
    return X::c(offset);
  return offset == 0 ? *r : X::add(*r, X::c(offset));
}

// floor(a / b) and ceil(a / b) for b > 0, any sign of a.
inline int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
inline int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

// lo <= x < hi for a coordinate x known to lie in [0, extent): constant
// where the bounds decide it for every such x.
template <class X>
typename X::B inRange(const typename X::I &x, int64_t lo, int64_t hi,
                      int64_t extent) {
  if (lo >= hi || hi <= 0 || lo >= extent)
    return X::lit(false);
  typename X::B r = X::lit(true);
  if (lo > 0)
    r = X::no(X::lt(x, lo));
  if (hi < extent)
    r = X::both(r, X::lt(x, hi));
  return r;
}

// The window of a forward convolution or a pooling (params with the fields
// d h w, kd kh kw, sd sh sw, pd ph pw, dd dh dw: spec/ops/Params.h): per
// axis and kernel index k, the range [lo, hi) of the output coordinates o
// where tap k reads inside the input, 0 <= o * s - pad + k * dil < n.
// Resolved once per op with its params (the integer divisions are not
// redone per element).
struct Window {
  std::vector<std::pair<int64_t, int64_t>> z, y, x;
};
template <class P> Window windowOf(const P &p) {
  auto axis = [](int64_t k, int64_t s, int64_t pad, int64_t dil, int64_t n) {
    std::vector<std::pair<int64_t, int64_t>> r;
    for (int64_t i = 0; i < k; ++i) {
      int64_t off = i * dil - pad;
      r.push_back({ceilDiv(-off, s), ceilDiv(n - off, s)});
    }
    return r;
  };
  return {axis(p.kd, p.sd, p.pd, p.dd, p.d), axis(p.kh, p.sh, p.ph, p.dh, p.h),
          axis(p.kw, p.sw, p.pw, p.dw, p.w)};
}

// The whole tensor of type `type` from its value at each flat index:
// `at(flat)` for flat = 0, 1, ... in order (the concrete interpreter of an
// op written at an output index).
template <class V, class F> Tensor<V> tabulate(const TensorType &type, F at) {
  Tensor<V> out;
  out.type = type;
  int64_t n = product(type.dims);
  out.data.reserve(static_cast<size_t>(n));
  for (int64_t flat = 0; flat < n; ++flat)
    out.data.push_back(at(flat));
  return out;
}

} // namespace ksynth::spec
