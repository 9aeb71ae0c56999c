// Reductions along dims (sum, mean, prod, max, min, argmax, argmin, norm,
// logsumexp) and the scans cumsum and cumprod, over any domain D
// (spec/Semantics.h).
//
// A reduction is written once, as its value at one output index over an
// index domain X (spec/ops/Index.h): `reduceAt`, dispatched by
// spec/ops/Apply.h `withValueAt`. The interpreter's whole tensor is that
// value at every index in turn; the verifier's
// reference at a symbolic index (verify/methods/SymbolicReferenceAt.cpp) is the
// same function over index terms; and the reference's long reductions as
// folds (verify/methods/ReferenceFolds.cpp) are built from the same pieces: the
// fold order (`reduceLineAt`, `reducePositionAt`) and the fold itself
// (`accStart`, `accTerm`, `accStep`, `accFinish`, `extremeStep`).
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
#include "spec/ops/Index.h"
#include "spec/ops/Params.h"

#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ksynth::spec::red {

template <class D, class V = typename D::Val>
V sumOf(D &d, const std::vector<V> &xs) {
  V acc = d.f32(0.0f);
  for (const V &x : xs)
    acc = d.add(acc, x);
  return acc;
}

// ---- the fold ----

// Which reduction: the accumulations (sum mean prod norm) and the extremes
// (max min argmax argmin).
// clang-format off
enum class ReduceKind { Sum, Mean, Prod, Norm1, Norm2, NormInf, LogSumExp,
                        Max, Min, ArgMax, ArgMin };
// clang-format on
inline ReduceKind reduceKind(const OpNode &op) {
  const std::string &o = op.op;
  if (o == "sum")
    return ReduceKind::Sum;
  if (o == "mean")
    return ReduceKind::Mean;
  if (o == "prod")
    return ReduceKind::Prod;
  if (o == "max")
    return ReduceKind::Max;
  if (o == "min")
    return ReduceKind::Min;
  if (o == "argmax")
    return ReduceKind::ArgMax;
  if (o == "argmin")
    return ReduceKind::ArgMin;
  if (o == "logsumexp")
    return ReduceKind::LogSumExp;
  std::string p = normOrder(op); // norm
  return p == "1"     ? ReduceKind::Norm1
         : p == "inf" ? ReduceKind::NormInf
                      : ReduceKind::Norm2;
}
inline bool isExtreme(ReduceKind k) {
  return k == ReduceKind::Max || k == ReduceKind::Min ||
         k == ReduceKind::ArgMax || k == ReduceKind::ArgMin;
}

// logsumexp is neither: two passes over the elements (logSumExp below).
//
// An accumulation (sum mean prod norm) is a left fold of one state over
// the reduced elements in fold order: the state starts at accStart
// (nullopt: at the first element's term, norm "inf"), each element x is
// folded in as accStep(acc, accTerm(x)), and accFinish makes the value from
// the last state and the number n of elements.
template <class D, class V = typename D::Val>
std::optional<V> accStart(ReduceKind k, D &d) {
  if (k == ReduceKind::Prod)
    return d.f32(1.0f);
  if (k == ReduceKind::NormInf || k == ReduceKind::LogSumExp)
    return std::nullopt; // not a fold from a constant (ReferenceFolds)
  return d.f32(0.0f);
}
template <class D, class V = typename D::Val>
V accTerm(ReduceKind k, D &d, const V &x) {
  if (k == ReduceKind::Norm1 || k == ReduceKind::NormInf)
    return d.abs(x);
  if (k == ReduceKind::Norm2)
    return d.mul(x, x);
  return x;
}
template <class D, class V = typename D::Val>
V accStep(ReduceKind k, D &d, const V &acc, const V &term) {
  if (k == ReduceKind::Prod)
    return d.mul(acc, term);
  if (k == ReduceKind::NormInf) // max |x|, NaN propagating
    return sem::maximum(d, acc, term);
  return d.add(acc, term);
}
template <class D, class V = typename D::Val>
V accFinish(ReduceKind k, D &d, const V &acc, int64_t n) {
  if (k == ReduceKind::Mean)
    return d.div(acc, d.num(static_cast<double>(n)));
  if (k == ReduceKind::Norm2)
    return d.sqrt(acc);
  return acc;
}

// An extreme (max min argmax argmin) is a fold of two states, the best
// value and its index (an int64 value), from element 0 and index 0; the
// element x at index `at` updates them. PyTorch: `if (!(x <= best)) { best
// = x; idx = k; if (isnan(x)) break; }` (max), with `>=` for min.
template <class D, class V = typename D::Val>
std::pair<V, V> extremeStep(D &d, bool isMax, const V &best, const V &idx,
                            const V &x, const V &at) {
  V keep = isMax ? d.le(x, best) : d.ge(x, best);
  V take = d.land(d.lnot(d.isnan(best)), d.lnot(keep));
  return {d.select(take, x, best), d.select(take, at, idx)};
}

// Index of the extreme element of `xs` (first NaN; else first max/min) and
// its value.
template <class D, class V = typename D::Val>
std::pair<V, V> extreme(D &d, const std::vector<V> &xs, bool isMax) {
  V best = xs[0], idx = d.i64(0);
  for (size_t k = 1; k < xs.size(); ++k)
    std::tie(best, idx) =
        extremeStep(d, isMax, best, idx, xs[k], d.i64(static_cast<int64_t>(k)));
  return {best, idx};
}

// logsumexp as PyTorch's logsumexp_out_impl: m = amax(xs) (NaN
// propagating), m' = |m| == inf ? 0 : m, then log(sum(exp(x - m'))) + m',
// the sum a left fold from +0 in fold order.
template <class D, class V = typename D::Val>
V logSumExp(D &d, const std::vector<V> &xs) {
  V m = xs[0];
  for (size_t j = 1; j < xs.size(); ++j)
    m = sem::maximum(d, m, xs[j]);
  V inf = d.f32(std::numeric_limits<float>::infinity());
  m = d.select(d.eq(d.abs(m), inf), d.f32(0.0f), m);
  V acc = d.f32(0.0f);
  for (const V &x : xs)
    acc = d.add(acc, d.exp(d.sub(x, m)));
  return d.add(d.log(acc), m);
}

// The reduction of the elements `xs`, in fold order.
template <class D, class V = typename D::Val>
V reduceOne(ReduceKind k, D &d, const std::vector<V> &xs) {
  if (k == ReduceKind::LogSumExp)
    return logSumExp(d, xs);
  if (isExtreme(k)) {
    bool isMax = k == ReduceKind::Max || k == ReduceKind::ArgMax;
    std::pair<V, V> e = extreme(d, xs, isMax);
    return k == ReduceKind::Max || k == ReduceKind::Min ? e.first : e.second;
  }
  std::optional<V> start = accStart(k, d);
  size_t first = start ? 0 : 1;
  V acc = start ? *start : accTerm(k, d, xs[0]);
  for (size_t i = first; i < xs.size(); ++i)
    acc = accStep(k, d, acc, accTerm(k, d, xs[i]));
  return accFinish(k, d, acc, static_cast<int64_t>(xs.size()));
}

// ---- the fold order ----

// The flat input index of the first reduced element of output element
// `flat` (its line): the kept dims' coordinates, from the output's.
template <class X>
typename X::I reduceLineAt(const ReduceParams &p, const typename X::I &flat) {
  size_t rank = p.inDims.size();
  std::vector<typename X::I> oc = coordsOf<X>(p.outDims, flat);
  std::vector<typename X::I> ic(rank, X::c(0));
  std::vector<bool> kept(rank, false);
  bool keep = p.outDims.size() == rank;
  for (size_t i = 0, k = 0; i < rank; ++i) {
    if (!p.reduced[i]) {
      ic[i] = oc.at(keep ? i : k);
      kept[i] = p.inDims[i] != 1;
    }
    if (keep || !p.reduced[i])
      ++k;
  }
  return linearAt<X>(ic, stridesOf(p.inDims), kept, 0);
}

// The offset from its line's first element of the element at position
// `pos` of the fold order (row-major over the reduced dims; the outermost
// reduced dim of extent above 1 takes the whole quotient): the position
// form of ReduceParams::innerOffsets, for a fold over a symbolic position.
template <class X>
typename X::I reducePositionAt(const ReduceParams &p,
                               const typename X::I &pos) {
  size_t rank = p.inDims.size(), outer = rank;
  for (size_t i = 0; i < rank && outer == rank; ++i)
    if (p.reduced[i] && p.inDims[i] != 1)
      outer = i;
  std::vector<int64_t> strides = stridesOf(p.inDims);
  typename X::I off = X::c(0), rest = pos;
  for (size_t i = rank; i-- > 0;) {
    if (!p.reduced[i] || p.inDims[i] == 1)
      continue;
    typename X::I coord = i == outer ? rest : X::mod(rest, p.inDims[i]);
    if (i != outer)
      rest = X::div(rest, p.inDims[i]);
    off = X::add(off, X::mul(coord, strides[i]));
  }
  return off;
}

// ---- the value at an output index ----

// Output element `flat` (an index of domain X) of reduction `kind`
// (reduceKind of the op) with params `p`: its reduced elements, `read(i)`
// the input element at flat input index i (an X::I), read in fold order
// and folded.
template <class D, class X, class Read>
typename D::Val reduceAt(ReduceKind kind, const ReduceParams &p, D &d,
                         const typename X::I &flat, Read read) {
  typename X::I base = reduceLineAt<X>(p, flat);
  std::vector<typename D::Val> xs;
  xs.reserve(p.innerOffsets.size());
  for (int64_t off : p.innerOffsets)
    xs.push_back(read(offsetBy<X>(base, off)));
  return reduceOne(kind, d, xs);
}

// cumsum along `dim`: inclusive (y_i = x_0 + ... + x_i) or exclusive
// (y_i = x_0 + ... + x_{i-1}, y_0 = +0), forward or reverse (summing from
// the last element). A left fold from +0 in scan order. cumprod (attr dim
// only): y_i = x_0 * ... * x_i, a left fold from 1.
//
// The fold of one line, `scanLine`: `read(j)` is the line's element at
// position j; `visit(j, y_j)` is called for each position in scan order
// and stops the fold when it returns true. The value at an index
// (`scanAt`) and the interpreter's line by line tabulation (`cumsum`) are
// both this fold.
template <class D, class Read, class Visit>
void scanLine(const OpNode &op, int64_t len, D &d, Read read, Visit visit) {
  bool exclusive = attrBool(op, "exclusive", false);
  bool reverse = attrBool(op, "reverse", false);
  bool prod = op.op == "cumprod";
  typename D::Val acc = d.f32(prod ? 1.0f : 0.0f);
  for (int64_t s = 0; s < len; ++s) {
    int64_t j = reverse ? len - 1 - s : s;
    typename D::Val x = read(j);
    typename D::Val next = prod ? d.mul(acc, x) : d.add(acc, x);
    typename D::Val y = exclusive ? acc : next;
    acc = next;
    if (visit(j, y))
      return;
  }
}

// Output element `flat` (an index of domain X, spec/ops/Index.h), the input
// read at flat index i as `read(i)`: the fold of the element's line up to
// its position where that is decided (over integers: always), otherwise
// every position's value and a choice by position.
template <class D, class X, class Read>
typename D::Val scanAt(const OpNode &op, const DimParams &p, D &d,
                       const typename X::I &flat, Read read) {
  using V = typename D::Val;
  // (A 0-d input is a line of one element.)
  std::vector<int64_t> dims = p.dims.empty() ? std::vector<int64_t>{1} : p.dims;
  std::vector<typename X::I> c = coordsOf<X>(dims, flat);
  std::vector<int64_t> strides = stridesOf(dims);
  size_t dim = static_cast<size_t>(p.dim);
  std::vector<bool> use(c.size(), true);
  use[dim] = false;
  const typename X::I &pos = c[dim];
  std::vector<std::optional<V>> val(static_cast<size_t>(p.len));
  std::optional<V> found;
  scanLine(
      op, p.len, d,
      [&](int64_t j) {
        return read(linearAt<X>(c, strides, use, j * strides[dim]));
      },
      [&](int64_t j, const V &y) {
        val[static_cast<size_t>(j)] = y;
        std::optional<bool> here = X::decided(X::eq(pos, j));
        if (here && *here)
          found = y;
        return found.has_value();
      });
  if (found)
    return *found;
  V r = *val[0];
  for (int64_t j = 1; j < p.len; ++j)
    r = X::when(
        d, X::eq(pos, j), [&] { return *val[static_cast<size_t>(j)]; }, r);
  return r;
}

// The whole tensor, line by line (each line's fold once).
template <class D, class V = typename D::Val>
Tensor<V> cumsum(const OpNode &op, const std::vector<const Tensor<V> *> &in,
                 D &d) {
  DimParams p = dimParams(op, typesOf(in));
  Tensor<V> out{in[0]->type, in[0]->data};
  for (int64_t o = 0; o < p.outer; ++o)
    for (int64_t i = 0; i < p.inner; ++i) {
      auto at = [&](int64_t j) { return (o * p.len + j) * p.inner + i; };
      scanLine(
          op, p.len, d, [&](int64_t j) { return in[0]->data[at(j)]; },
          [&](int64_t j, const V &y) {
            out.data[at(j)] = y;
            return false;
          });
    }
  return out;
}

} // namespace ksynth::spec::red
