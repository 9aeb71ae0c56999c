// The reference side of the symbolic work-item method: one element of a
// spec tensor at a flat index term (verify/SymbolicItem.h).
#include "verify/SymbolicItem.h"

#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Reductions.h"
#include "support/Float.h"
#include "verify/SymbolicReference.h"

#include <functional>
#include <map>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {

// ---- the elementwise reference at one flat index ----

struct SymIndex {
  using I = Expr;
  static I c(int64_t v) { return Expr::bvVal(static_cast<uint64_t>(v), 64); }
  static I add(const I &a, const I &b) { return a.add(b); }
  static I mul(const I &a, int64_t k) { return a.mul(c(k)); }
  static I div(const I &a, int64_t k) { return a.udiv(c(k)); }
  static I mod(const I &a, int64_t k) { return a.urem(c(k)); }
};
struct ConIndex {
  using I = int64_t;
  static I c(int64_t v) { return v; }
  static I add(I a, I b) { return a + b; }
  static I mul(I a, int64_t k) { return a * k; }
  static I div(I a, int64_t k) { return a / k; }
  static I mod(I a, int64_t k) { return a % k; }
};

// spec::broadcastIndex over index terms.
template <class X>
typename X::I broadcastAt(const std::vector<int64_t> &to,
                          const std::vector<int64_t> &from,
                          typename X::I flat) {
  if (to == from)
    return flat;
  typename X::I index = X::c(0);
  int64_t stride = 1;
  size_t nt = to.size(), nf = from.size();
  for (size_t i = 0; i < nt && i < nf; ++i) {
    int64_t dt = to[nt - 1 - i], df = from[nf - 1 - i];
    typename X::I coord = X::mod(flat, dt);
    flat = X::div(flat, dt);
    if (df != 1)
      index = X::add(index, X::mul(coord, stride));
    stride *= df;
  }
  return index;
}

template <class D, class X>
typename D::Val
elementAt(const spec::Spec &s,
          const std::map<std::string, spec::TensorType> &types, D &d,
          const std::string &tensor, const typename X::I &flat,
          const std::function<typename D::Val(const std::string &,
                                              const typename X::I &)> &leaf);

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

// sum(k) coord_k * stride_k + offset, skipping zero terms.
template <class X>
typename X::I linearAt(const std::vector<typename X::I> &coords,
                       const std::vector<int64_t> &strides,
                       const std::vector<bool> &use, int64_t offset) {
  std::optional<typename X::I> r;
  for (size_t i = 0; i < coords.size(); ++i) {
    if (!use[i])
      continue;
    typename X::I t =
        strides[i] == 1 ? coords[i] : X::mul(coords[i], strides[i]);
    r = r ? X::add(*r, t) : t;
  }
  if (!r)
    return X::c(offset);
  return offset == 0 ? *r : X::add(*r, X::c(offset));
}

// The element at `flat` of the output of a tensor op the method covers
// (symbolicTensorOpCovered): reductions (sum mean prod max min norm) and
// softmax / log_softmax. The output's coordinates come from `flat` by
// div/mod with the concrete dims; the reduced elements (concrete in number)
// are read at index terms, and the fold is the semantics table's
// (spec/ops/Reductions.h reduceOne; softmax mirrors norm::softmaxLine, the
// element's own exp taken at `flat`).
template <class D, class X>
typename D::Val tensorElementAt(
    const spec::Spec &s, const std::map<std::string, spec::TensorType> &types,
    D &d, const spec::OpNode &op, const typename X::I &flat,
    const std::function<typename D::Val(const std::string &,
                                        const typename X::I &)> &leaf) {
  using V = typename D::Val;
  const std::string &u = std::get<std::string>(op.inputs.at(0));
  const spec::TensorType &inType = types.at(u);
  auto at = [&](const typename X::I &i) {
    return elementAt<D, X>(s, types, d, u, i, leaf);
  };
  std::vector<int64_t> strides = spec::stridesOf(inType.dims);
  if (spec::tensorOpFamily(op.op) == spec::TensorOpFamily::Reduce) {
    spec::ReduceParams p = spec::reduceParams(op, {inType});
    size_t rank = p.inDims.size();
    // Output coordinates -> the kept input dims' coordinates.
    std::vector<int64_t> outDims = p.outDims;
    std::vector<typename X::I> oc = coordsOf<X>(outDims, flat);
    std::vector<typename X::I> ic(rank, X::c(0));
    std::vector<bool> kept(rank, false);
    size_t k = 0;
    bool keep = outDims.size() == rank;
    for (size_t i = 0; i < rank; ++i) {
      if (!p.reduced[i]) {
        ic[i] = oc.at(keep ? i : k);
        kept[i] = p.inDims[i] != 1;
      }
      if (keep || !p.reduced[i])
        ++k;
    }
    std::vector<V> xs;
    for (int64_t off : p.innerOffsets)
      xs.push_back(at(linearAt<X>(ic, strides, kept, off)));
    return spec::red::reduceOne(op, d, xs);
  }
  // softmax / log_softmax (norm::softmaxLine at one element).
  spec::DimParams p = spec::dimParams(op, {inType});
  std::vector<typename X::I> c = coordsOf<X>(inType.dims, flat);
  std::vector<bool> use(c.size(), true);
  use[static_cast<size_t>(p.dim)] = false;
  std::vector<V> xs;
  for (int64_t j = 0; j < p.len; ++j)
    xs.push_back(at(
        linearAt<X>(c, strides, use, j * strides[static_cast<size_t>(p.dim)])));
  V m = xs[0];
  for (size_t j = 1; j < xs.size(); ++j)
    m = spec::sem::maximum(d, m, xs[j]);
  std::vector<V> e;
  for (const V &x : xs)
    e.push_back(d.exp(d.sub(x, m)));
  V sum = spec::red::sumOf(d, e);
  V shifted = d.sub(at(flat), m);
  if (op.op == "log_softmax")
    return d.sub(shifted, d.log(sum));
  return d.div(d.exp(shifted), sum);
}

template <class D, class X>
typename D::Val
elementAt(const spec::Spec &s,
          const std::map<std::string, spec::TensorType> &types, D &d,
          const std::string &tensor, const typename X::I &flat,
          const std::function<typename D::Val(const std::string &,
                                              const typename X::I &)> &leaf) {
  const spec::OpNode *producer = nullptr;
  for (const spec::OpNode &op : s.ops)
    if (op.output == tensor)
      producer = &op;
  if (!producer)
    return leaf(tensor, flat);
  const std::vector<int64_t> &dims = types.at(tensor).dims;
  if (spec::isTensorOp(*producer))
    return tensorElementAt<D, X>(s, types, d, *producer, flat, leaf);
  std::vector<typename D::Val> args;
  for (const spec::Operand &x : producer->inputs) {
    if (const auto *lit = std::get_if<double>(&x)) {
      args.push_back(d.f32(static_cast<float>(*lit)));
      continue;
    }
    const std::string &u = std::get<std::string>(x);
    args.push_back(elementAt<D, X>(
        s, types, d, u, broadcastAt<X>(dims, types.at(u).dims, flat), leaf));
  }
  return spec::applyElementwise(*producer, args, d);
}

} // namespace

bool symbolicTensorOpCovered(const spec::OpNode &op) {
  static const std::set<std::string> covered{
      "sum", "mean", "prod", "max", "min", "norm", "softmax", "log_softmax"};
  return covered.count(op.op) > 0 && op.inputs.size() == 1 &&
         std::holds_alternative<std::string>(op.inputs[0]);
}

Expr referenceElementAt(const spec::Spec &s, const spec::ShapeBinding &shape,
                        const std::string &tensor, const Expr &flat) {
  auto types = spec::inferTypes(s, shape);
  SymDomain d;
  std::function<Expr(const std::string &, const Expr &)> leaf =
      [&](const std::string &t, const Expr &i) {
        if (types.at(t).dims.empty())
          return Expr::fpFromBits(Expr::bvVar(t, 32));
        return Expr::fpFromBits(inputArray(t, 32).select(i));
      };
  return elementAt<SymDomain, SymIndex>(s, types, d, tensor, flat, leaf);
}

uint32_t concreteReferenceAt(
    const spec::Spec &s, const spec::ShapeBinding &shape,
    const std::string &tensor, int64_t flat,
    const std::function<uint32_t(const std::string &, int64_t)> &inputBits) {
  auto types = spec::inferTypes(s, shape);
  spec::ConcreteDomain d;
  std::function<spec::Scalar(const std::string &, const int64_t &)> leaf =
      [&](const std::string &t, const int64_t &i) {
        return spec::ConcreteDomain::f32(bitsFloat(inputBits(t, i)));
      };
  return floatBits(
      elementAt<spec::ConcreteDomain, ConIndex>(s, types, d, tensor, flat, leaf)
          .f);
}

} // namespace ksynth::verify
