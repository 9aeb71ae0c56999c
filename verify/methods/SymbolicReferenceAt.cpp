// The reference side of the symbolic work-item method: one element of a
// spec tensor at a flat index term (verify/methods/SymbolicItem.h).
#include "verify/methods/SymbolicItem.h"

#include "solver/Solver.h"
#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "spec/ops/Apply.h"
#include "spec/ops/Index.h"
#include "spec/ops/Losses.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Params.h"
#include "spec/ops/Reductions.h"
#include "support/Float.h"
#include "verify/core/Unknown.h"
#include "verify/numerics/SymbolicReference.h"

#include <functional>
#include <limits>
#include <map>
#include <optional>

namespace ksynth::verify {

using smt::Expr;

namespace {

// ---- index domains (the concept and IntIndex: spec/ops/Index.h) ----
// SymIndex: bv64 terms. Its `when(d, c, then, other)` is an ite (`then` is
// built whatever c is: a read out of range where c is false is discarded).

// An affine form sum_v coeff_v * v + c over 64-bit variables (integer
// coefficients), the guess of what an index term is as an integer.
struct Affine {
  std::vector<std::pair<Expr, int64_t>> terms; // variable, coefficient
  int64_t c = 0;

  static std::optional<Affine> add(const Affine &a, const Affine &b) {
    Affine r = a;
    if (__builtin_add_overflow(r.c, b.c, &r.c))
      return std::nullopt;
    for (const auto &[v, k] : b.terms) {
      bool found = false;
      for (auto &[w, m] : r.terms)
        if (w.same(v)) {
          found = true;
          if (__builtin_add_overflow(m, k, &m))
            return std::nullopt;
        }
      if (!found)
        r.terms.push_back({v, k});
    }
    return r;
  }
  std::optional<Affine> scaled(int64_t k) const {
    Affine r = *this;
    if (__builtin_mul_overflow(r.c, k, &r.c))
      return std::nullopt;
    for (auto &[v, m] : r.terms)
      if (__builtin_mul_overflow(m, k, &m))
        return std::nullopt;
    return r;
  }
  // Floor division of every coefficient by k > 0: this = q * k + r with
  // the coefficients of r in [0, k).
  std::pair<Affine, Affine> split(int64_t k) const {
    Affine q, r;
    auto fd = [k](int64_t a) { return a >= 0 ? a / k : -((-(a + 1)) / k) - 1; };
    q.c = fd(c);
    r.c = c - q.c * k;
    for (const auto &[v, m] : terms) {
      int64_t a = fd(m);
      if (a != 0)
        q.terms.push_back({v, a});
      if (m - a * k != 0)
        r.terms.push_back({v, m - a * k});
    }
    return {q, r};
  }
  Expr term() const {
    std::optional<Expr> t;
    for (const auto &[v, m] : terms) {
      Expr x = m == 1 ? v : v.mul(Expr::bvVal(static_cast<uint64_t>(m), 64));
      t = t ? t->add(x) : x;
    }
    Expr k = Expr::bvVal(static_cast<uint64_t>(c), 64);
    if (!t)
      return k;
    return c == 0 ? *t : t->add(k);
  }
  // The affine form of a bv64 term over bv64 variables, found by
  // evaluating it at 0 and at unit points (and checked at two more);
  // nullopt where it does not look affine. Only a guess: every use is
  // guarded by a condition that holds exactly where it is right.
  static std::optional<Affine> of(const Expr &e) {
    if (!e.isBV() || e.bvWidth() != 64)
      return std::nullopt;
    std::vector<Expr> vs = e.vars();
    if (vs.size() > 8)
      return std::nullopt;
    for (const Expr &v : vs)
      if (!v.isBV() || v.bvWidth() != 64)
        return std::nullopt;
    auto at = [&](const std::vector<uint64_t> &vals) -> std::optional<int64_t> {
      std::vector<std::pair<Expr, Expr>> sub;
      for (size_t i = 0; i < vs.size(); ++i)
        sub.push_back({vs[i], Expr::bvVal(vals[i], 64)});
      std::optional<uint64_t> x = e.substitute(sub).simplify().asUInt();
      if (!x)
        return std::nullopt;
      return static_cast<int64_t>(*x);
    };
    std::vector<uint64_t> zero(vs.size(), 0);
    std::optional<int64_t> f0 = at(zero);
    if (!f0)
      return std::nullopt;
    Affine a;
    a.c = *f0;
    int64_t sum = *f0, sum3 = *f0;
    for (size_t i = 0; i < vs.size(); ++i) {
      std::vector<uint64_t> p = zero;
      p[i] = 1;
      std::optional<int64_t> f1 = at(p);
      if (!f1)
        return std::nullopt;
      int64_t k = static_cast<int64_t>(static_cast<uint64_t>(*f1) -
                                       static_cast<uint64_t>(*f0));
      if (k > (int64_t{1} << 40) || k < -(int64_t{1} << 40))
        return std::nullopt;
      if (k != 0)
        a.terms.push_back({vs[i], k});
      sum += k;
      sum3 += (static_cast<int64_t>(i % 3) + 2) * k;
    }
    std::vector<uint64_t> ones(vs.size(), 1), mixed(vs.size());
    for (size_t i = 0; i < vs.size(); ++i)
      mixed[i] = i % 3 + 2;
    if (at(ones) != std::optional<int64_t>(sum) ||
        at(mixed) != std::optional<int64_t>(sum3))
      return std::nullopt;
    return a;
  }
};

// The path decider (pushReferenceDecider): answers for the conditions an
// element would branch on, on the current path, cached per condition, and
// the configured solver stack for the questions that do not depend on the
// path.
struct PathDecider {
  std::function<std::optional<bool>(const Expr &)> decide;
  // By AST id; the term is kept so that its id is not reused.
  std::map<unsigned, std::pair<Expr, std::optional<bool>>> cache;
  smt::QuerySolver *solver = nullptr;
  unsigned identityMs = 0;
};
thread_local std::vector<PathDecider> deciders;

// Whether `fact` holds for every value of its variables (a small
// bit-vector question, asked of the pushed decider's solver stack within
// its identity budget; false where unknown or without a solver).
bool valid(const Expr &fact) {
  if (deciders.empty() || !deciders.back().solver)
    return false;
  const PathDecider &pd = deciders.back();
  return pd.solver->check({{!fact}, "reference index identity", pd.identityMs})
             .status == smt::SatResult::Unsat;
}

// Index terms. Division and remainder by a constant are the only hard
// operations for the solver (a 64-bit divider circuit), and the flat
// index of a store is usually an affine function of the work-item ids
// (i * N + j): where the index's affine form is known, the quotient and
// remainder are guessed from it (q, r: i and j), and the term is
// ite(x == q * k + r && r < k && q < 2^63 / k, q, x / k) (and r for the
// remainder): equal to x / k for every value (the condition makes q and r
// the quotient and remainder), and cheap where the path implies the
// condition.
struct SymIndex {
  struct I {
    Expr e;
    std::optional<Affine> lin;
  };
  using B = Expr;
  static Expr bv(int64_t v) {
    return Expr::bvVal(static_cast<uint64_t>(v), 64);
  }
  static I c(int64_t v) {
    Affine a;
    a.c = v;
    return {bv(v), a};
  }
  // The index term `flat` as given (its affine form where it has one).
  static I of(const Expr &flat) { return {flat, Affine::of(flat)}; }
  static I add(const I &a, const I &b) {
    std::optional<uint64_t> x = a.e.asUInt(), y = b.e.asUInt();
    if (x && y)
      return c(static_cast<int64_t>(*x + *y));
    std::optional<Affine> l;
    if (a.lin && b.lin)
      l = Affine::add(*a.lin, *b.lin);
    return {a.e.add(b.e), l};
  }
  static I mul(const I &a, int64_t k) {
    if (std::optional<uint64_t> x = a.e.asUInt())
      return c(static_cast<int64_t>(*x * static_cast<uint64_t>(k)));
    std::optional<Affine> l;
    if (a.lin)
      l = a.lin->scaled(k);
    return {a.e.mul(bv(k)), l};
  }
  static I divMod(const I &a, int64_t k, bool quotient) {
    if (k == 1)
      return quotient ? a : c(0);
    Expr exact = quotient ? a.e.udiv(bv(k)) : a.e.urem(bv(k));
    // A remainder the rewriter decides (the low bits of i * 8 + 3).
    if (std::optional<uint64_t> x = exact.simplify().asUInt())
      return c(static_cast<int64_t>(*x));
    if (!a.lin)
      return {exact, std::nullopt};
    auto [q, r] = a.lin->split(k);
    Expr qe = q.term(), re = r.term();
    if (std::optional<uint64_t> x = a.e.asUInt()) { // a numeral
      uint64_t v = quotient ? *x / static_cast<uint64_t>(k)
                            : *x % static_cast<uint64_t>(k);
      return c(static_cast<int64_t>(v));
    }
    const uint64_t limit = (uint64_t{1} << 63) / static_cast<uint64_t>(k);
    Expr cond = a.e.eq(qe.mul(bv(k)).add(re)) && re.ult(bv(k)) &&
                qe.ult(Expr::bvVal(limit, 64));
    std::optional<bool> d = decided(cond);
    // A constant remainder by a power of two often holds for every value
    // (the low bits of i * 8 + 3, whatever wraps above them).
    if (!d && !quotient && (k & (k - 1)) == 0 && r.terms.empty() &&
        !q.terms.empty() && valid(exact.eq(re)))
      d = true;
    if (d && *d) // on this path the guess is the quotient / remainder
      return {quotient ? qe : re, quotient ? q : r};
    if (d)
      return {exact, std::nullopt};
    return {Expr::ite(cond, quotient ? qe : re, exact), quotient ? q : r};
  }
  static I div(const I &a, int64_t k) { return divMod(a, k, true); }
  static I mod(const I &a, int64_t k) { return divMod(a, k, false); }
  static B lit(bool b) { return Expr::boolVal(b); }
  static B lt(const I &a, int64_t k) {
    if (std::optional<uint64_t> x = a.e.asUInt())
      return lit(*x < static_cast<uint64_t>(k));
    return a.e.ult(bv(k));
  }
  static B eq(const I &a, int64_t k) {
    if (std::optional<uint64_t> x = a.e.asUInt())
      return lit(*x == static_cast<uint64_t>(k));
    return a.e.eq(bv(k));
  }
  static B both(const B &a, const B &b) {
    std::optional<bool> x = known(a), y = known(b);
    if ((x && !*x) || (y && !*y))
      return lit(false);
    if (x)
      return b;
    if (y)
      return a;
    return a && b;
  }
  static B no(const B &a) {
    std::optional<bool> x = known(a);
    return x ? lit(!*x) : !a;
  }
  static bool zero(const I &a) {
    return a.e.asUInt() == std::optional<uint64_t>(0);
  }
  static std::optional<bool> known(const B &b) {
    if (b.isTrue())
      return true;
    if (b.isFalse())
      return false;
    return std::nullopt;
  }
  // Constant, or decided on the current path (pushReferenceDecider).
  static std::optional<bool> decided(const B &b) {
    if (std::optional<bool> k = known(b))
      return k;
    if (deciders.empty() || !deciders.back().decide)
      return std::nullopt;
    PathDecider &pd = deciders.back();
    auto it = pd.cache.find(b.id());
    if (it != pd.cache.end())
      return it->second.second;
    std::optional<bool> r = pd.decide(b);
    pd.cache.emplace(b.id(), std::make_pair(b, r));
    return r;
  }
  static I pickI(const B &cond, const I &a, const I &b) {
    return {Expr::ite(cond, a.e, b.e), std::nullopt};
  }
  template <class D, class F>
  static typename D::Val when(D &d, const B &cond, F then,
                              const typename D::Val &other) {
    std::optional<bool> k = decided(cond);
    if (k)
      return *k ? then() : other;
    return d.select(cond, then(), other);
  }
};

using ConIndex = spec::IntIndex;
using spec::affine;
using spec::coordsOf;
using spec::linearAt;

// ceil(a / b) and floor(a / b) for b > 0, any sign of a.
int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

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

// The reads of one reference evaluation: input element reads through
// `leaf`, counted so that an element whose fold is too large to build
// gives up (unknown) instead of exhausting memory.
constexpr int64_t kMaxReads = int64_t{1} << 18;

template <class D, class X> struct Ctx {
  const spec::Spec &s;
  const std::map<std::string, spec::TensorType> &types;
  D &d;
  std::function<typename D::Val(const std::string &, const typename X::I &)>
      leaf;
  int64_t reads = 0;
  bool capped = false;
};

template <class D, class X>
typename D::Val elementAt(Ctx<D, X> &cx, const std::string &tensor,
                          const typename X::I &flat);

// The element at `flat` of the output of a tensor op the method covers
// (symbolicTensorOpCovered). The output's coordinates come from `flat` by
// div/mod with the concrete dims; each output element is a fold over a
// concrete number of operand elements, read at index terms (through
// elementAt, so an operand may itself be computed) in the semantics
// table's order. The families written once at an output index in spec/ops
// are evaluated here through spec::withValueAt (Reductions.h reduceAt,
// Linear.h transposeAt and matmulAt); the others are mirrored for one
// output element: Normalization.h softmaxLine's formula at one element,
// rowNorm and batchNorm per element, cumsum, Conv.h, Pooling.h and
// Losses.h pointwise.
// Window taps that exist only for some output coordinates (padding, a
// transposed convolution's stride) are conditions on the coordinates: a
// padding tap of a convolution is a +0 input multiplied like any other, a
// missing tap of a transposed convolution or a pooling window is left out
// of the fold (the fold keeps its value where the condition is false).
template <class D, class X>
typename D::Val tensorElementAt(Ctx<D, X> &cx, const spec::OpNode &op,
                                const typename X::I &flat) {
  using V = typename D::Val;
  using I = typename X::I;
  using B = typename X::B;
  D &d = cx.d;
  std::vector<spec::TensorType> inTypes;
  for (const spec::Operand &x : op.inputs) {
    if (const auto *name = std::get_if<std::string>(&x))
      inTypes.push_back(cx.types.at(*name));
    else
      inTypes.push_back({spec::DType::Float32, {}});
  }
  // Operand k at a flat index (a literal operand is 0-d: its value).
  auto operand = [&](size_t k, const I &i) -> V {
    const spec::Operand &x = op.inputs.at(k);
    if (const auto *lit = std::get_if<double>(&x))
      return d.f32(static_cast<float>(*lit));
    return elementAt<D, X>(cx, std::get<std::string>(x), i);
  };
  auto at = [&](const I &i) { return operand(0, i); };
  // The families written once at an output index (spec/ops/Apply.h).
  std::optional<V> written;
  if (spec::withValueAt<D, X>(op, inTypes, d, operand,
                              [&](auto valueAt) { written = valueAt(flat); }))
    return *written;
  const spec::TensorType &inType = inTypes.at(0);
  std::vector<int64_t> strides = spec::stridesOf(inType.dims);
  switch (spec::tensorOpFamily(op.op)) {
  case spec::TensorOpFamily::Reduce: // withValueAt
  case spec::TensorOpFamily::Transpose:
  case spec::TensorOpFamily::Matmul:
    break;
  case spec::TensorOpFamily::Softmax: {
    // norm::softmaxLine at one element.
    spec::DimParams p = spec::dimParams(op, inTypes);
    std::vector<I> c = coordsOf<X>(inType.dims, flat);
    std::vector<bool> use(c.size(), true);
    use[static_cast<size_t>(p.dim)] = false;
    std::vector<V> xs;
    for (int64_t j = 0; j < p.len; ++j)
      xs.push_back(at(linearAt<X>(c, strides, use,
                                  j * strides[static_cast<size_t>(p.dim)])));
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
  case spec::TensorOpFamily::Scan: {
    // red::cumsum: the scan of the element's line, every position's value
    // (the fold is shared), then the one at the element's position.
    spec::DimParams p = spec::dimParams(op, inTypes);
    bool exclusive = spec::attrBool(op, "exclusive", false);
    bool reverse = spec::attrBool(op, "reverse", false);
    size_t dim = static_cast<size_t>(p.dim);
    std::vector<I> c = coordsOf<X>(inType.dims, flat);
    std::vector<bool> use(c.size(), true);
    use[dim] = false;
    const I &j = c[dim];
    std::vector<std::optional<V>> val(static_cast<size_t>(p.len));
    V acc = d.f32(0.0f);
    for (int64_t s = 0; s < p.len; ++s) {
      int64_t jj = reverse ? p.len - 1 - s : s;
      // Integers: the scan stops at the element (no later reads).
      std::optional<bool> here = X::decided(X::eq(j, jj));
      V next = d.add(acc, at(linearAt<X>(c, strides, use, jj * strides[dim])));
      val[static_cast<size_t>(jj)] = exclusive ? acc : next;
      acc = next;
      if (here && *here)
        return *val[static_cast<size_t>(jj)];
    }
    V r = *val[0];
    for (int64_t jj = 1; jj < p.len; ++jj)
      r = X::when(
          d, X::eq(j, jj), [&] { return *val[static_cast<size_t>(jj)]; }, r);
    return r;
  }
  case spec::TensorOpFamily::RowNorm: {
    // norm::rowNorm for the element's row.
    spec::RowNormParams p = spec::rowNormParams(op, inTypes);
    bool rms = op.op == "rms_norm";
    std::vector<I> rc = coordsOf<X>({p.outer, p.inner}, flat);
    V n = d.num(static_cast<double>(p.inner)), eps = d.f32(p.eps);
    V one = d.f32(1.0f);
    std::vector<V> row, terms;
    for (int64_t t = 0; t < p.inner; ++t)
      row.push_back(at(affine<X>({{rc[0], p.inner}}, t)));
    V mean = d.f32(0.0f), rstd = d.f32(0.0f);
    if (rms) {
      for (const V &x : row)
        terms.push_back(d.mul(x, x));
      rstd =
          d.div(one, d.sqrt(d.add(d.div(spec::red::sumOf(d, terms), n), eps)));
    } else {
      mean = d.div(spec::red::sumOf(d, row), n);
      for (const V &x : row) {
        V c = d.sub(x, mean);
        terms.push_back(d.mul(c, c));
      }
      V var = d.div(spec::red::sumOf(d, terms), n);
      rstd = d.div(one, d.sqrt(d.add(var, eps)));
    }
    V x = at(flat);
    V y = rms ? d.mul(x, rstd) : d.mul(d.sub(x, mean), rstd);
    if (p.hasWeight)
      y = d.mul(y, operand(1, p.weightScalar ? X::c(0) : rc[1]));
    if (p.hasBias)
      y = d.add(y, operand(2, p.biasScalar ? X::c(0) : rc[1]));
    return y;
  }
  case spec::TensorOpFamily::BatchNorm: {
    // norm::batchNorm for the element's channel.
    spec::BatchNormParams p = spec::batchNormParams(op, inTypes);
    std::vector<I> nc = coordsOf<X>({p.n, p.c, p.spatial}, flat);
    auto chan = [&](size_t k) {
      return operand(k, p.perChannel[k - 1] ? nc[1] : X::c(0));
    };
    V eps = d.f32(p.eps);
    V invstd = d.div(d.f32(1.0f), d.sqrt(d.add(chan(2), eps)));
    V alpha = p.hasWeight ? d.mul(invstd, chan(3)) : invstd;
    V beta = d.sub(p.hasBias ? chan(4) : d.f32(0.0f), d.mul(chan(1), alpha));
    return d.add(d.mul(at(flat), alpha), beta);
  }
  case spec::TensorOpFamily::Conv: {
    // conv::conv for one output element.
    spec::ConvParams p = spec::convParams(op, inTypes);
    std::vector<I> c = coordsOf<X>({p.n, p.cout, p.oh, p.ow}, flat);
    const I &n = c[0], &oc = c[1], &oy = c[2], &ox = c[3];
    int64_t cinG = p.cin / p.groups, coutG = p.cout / p.groups;
    I g = p.groups == 1 ? X::c(0) : X::div(oc, coutG);
    I ocg = p.groups == 1 ? oc : X::mod(oc, coutG);
    int64_t hw = p.h * p.w;
    V acc = d.f32(0.0f);
    for (int64_t icg = 0; icg < cinG; ++icg)
      for (int64_t ky = 0; ky < p.kh; ++ky)
        for (int64_t kx = 0; kx < p.kw; ++kx) {
          if (!p.transposed) {
            // iy = oy * sh - ph + ky * dh, ix likewise; outside the input
            // a +0 multiplied by the weight.
            int64_t offY = ky * p.dh - p.ph, offX = kx * p.dw - p.pw;
            B valid = X::both(inRange<X>(oy, ceilDiv(-offY, p.sh),
                                         ceilDiv(p.h - offY, p.sh), p.oh),
                              inRange<X>(ox, ceilDiv(-offX, p.sw),
                                         ceilDiv(p.w - offX, p.sw), p.ow));
            I wi = affine<X>({{oc, cinG * p.kh * p.kw}},
                             (icg * p.kh + ky) * p.kw + kx);
            I xi = affine<X>(
                {{n, p.cin * hw}, {g, cinG * hw}, {oy, p.sh * p.w}, {ox, p.sw}},
                icg * hw + offY * p.w + offX);
            V xv = X::when(
                d, valid, [&] { return operand(0, xi); }, d.f32(0.0f));
            acc = d.add(acc, d.mul(xv, operand(1, wi)));
            continue;
          }
          // Transposed: out[oy] gathers in[iy] where iy * sh - ph + ky *
          // dh == oy: ty = oy + ph - ky * dh >= 0, ty % sh == 0, iy = ty /
          // sh < h (ty < h * sh). Weight [C_in, C_out/groups, kH, kW].
          int64_t tyOff = p.ph - ky * p.dh, txOff = p.pw - kx * p.dw;
          B valid = X::both(inRange<X>(oy, -tyOff, p.h * p.sh - tyOff, p.oh),
                            inRange<X>(ox, -txOff, p.w * p.sw - txOff, p.ow));
          // (o + off) with off in [0, s) has the residue of o + tyOff, and
          // iy = (o + off) / s + (tyOff - off) / s, the second exact.
          auto along = [&](const I &o, int64_t off0, int64_t s, B &ok) {
            if (s == 1)
              return off0 == 0 ? o : X::add(o, X::c(off0));
            int64_t off = ((off0 % s) + s) % s;
            I t = off == 0 ? o : X::add(o, X::c(off));
            ok = X::both(ok, X::eq(X::mod(t, s), 0));
            I q = X::div(t, s);
            int64_t rest = (off0 - off) / s;
            return rest == 0 ? q : X::add(q, X::c(rest));
          };
          I iy = along(oy, tyOff, p.sh, valid);
          I ix = along(ox, txOff, p.sw, valid);
          I ic = affine<X>({{g, cinG}}, icg);
          I wi = affine<X>({{ic, coutG * p.kh * p.kw}, {ocg, p.kh * p.kw}},
                           ky * p.kw + kx);
          I xi = affine<X>({{n, p.cin * hw}, {ic, hw}, {iy, p.w}, {ix, 1}}, 0);
          acc = X::when(
              d, valid,
              [&] { return d.add(acc, d.mul(operand(0, xi), operand(1, wi))); },
              acc);
        }
    if (p.hasBias)
      acc = d.add(acc, operand(2, p.biasScalar ? X::c(0) : oc));
    return acc;
  }
  case spec::TensorOpFamily::Pool: {
    // pool::pool for one output element: taps row-major, padding skipped.
    spec::PoolParams p = spec::poolParams(op, inTypes);
    std::vector<I> c = coordsOf<X>({p.planes, p.oh, p.ow}, flat);
    const I &pl = c[0], &oy = c[1], &ox = c[2];
    // Per tap: whether it is real, and its value (read where real).
    std::vector<std::pair<B, std::function<V()>>> taps;
    for (int64_t ky = 0; ky < p.kh; ++ky)
      for (int64_t kx = 0; kx < p.kw; ++kx) {
        int64_t offY = ky * p.dh - p.ph, offX = kx * p.dw - p.pw;
        B valid = X::both(inRange<X>(oy, ceilDiv(-offY, p.sh),
                                     ceilDiv(p.h - offY, p.sh), p.oh),
                          inRange<X>(ox, ceilDiv(-offX, p.sw),
                                     ceilDiv(p.w - offX, p.sw), p.ow));
        I xi = affine<X>({{pl, p.h * p.w}, {oy, p.sh * p.w}, {ox, p.sw}},
                         offY * p.w + offX);
        taps.push_back({valid, [&at, xi] { return at(xi); }});
      }
    if (p.isMax) {
      // m = the first real tap, then `if (v > m || isnan(v)) m = v`; no
      // real tap: -inf. `some`: a real tap was seen.
      V m = d.f32(-std::numeric_limits<float>::infinity());
      B some = X::lit(false);
      for (auto &[valid, read] : taps) {
        if (X::decided(valid) == std::optional<bool>(false))
          continue;
        V prev = m;
        B seen = some;
        m = X::when(
            d, valid,
            [&] {
              V v = read();
              V upd = d.select(d.lor(d.gt(v, prev), d.isnan(v)), v, prev);
              return X::when(
                  d, seen, [&] { return upd; }, v);
            },
            prev);
        some = X::decided(valid) == std::optional<bool>(true)
                   ? X::lit(true)
                   : X::no(X::both(X::no(some), X::no(valid)));
      }
      return m;
    }
    V acc = d.f32(0.0f);
    I count = X::c(0);
    bool countKnown = true;
    int64_t fixed = 0;
    for (auto &[valid, read] : taps) {
      acc = X::when(
          d, valid, [&] { return d.add(acc, read()); }, acc);
      std::optional<bool> k = X::decided(valid);
      if (k) {
        fixed += *k ? 1 : 0;
      } else {
        countKnown = false;
        count = X::add(count, X::pickI(valid, X::c(1), X::c(0)));
      }
    }
    if (p.countIncludePad)
      return d.div(acc, d.num(static_cast<double>(p.kh * p.kw)));
    if (countKnown)
      return d.div(acc, d.num(static_cast<double>(fixed)));
    // The number of real taps, as a float: a case per possible count.
    V divisor = d.num(static_cast<double>(fixed));
    for (int64_t k = 1; k <= static_cast<int64_t>(taps.size()); ++k)
      divisor = X::when(
          d, X::eq(count, k),
          [&] { return d.num(static_cast<double>(fixed + k)); }, divisor);
    return d.div(acc, divisor);
  }
  case spec::TensorOpFamily::Loss: {
    // loss::loss: per element (per row for cross_entropy with
    // probabilities), or their left fold from +0 (and / count for mean).
    spec::LossParams p = spec::lossParams(op, inTypes);
    using R = spec::LossParams::Reduction;
    if (op.op == "cross_entropy" && p.classIndices) // symbolicQualifies
      throw CannotDecide(UnknownKind::Unsupported,
                         "cross_entropy with int64 class indices is not "
                         "covered by the symbolic work-item method");
    auto per = [&](const I &e) -> V {
      if (op.op != "cross_entropy")
        return spec::loss::pointwise(op, d, at(e), operand(1, e));
      std::vector<V> row;
      for (int64_t k = 0; k < p.classes; ++k)
        row.push_back(at(affine<X>({{e, p.classes}}, k)));
      std::vector<V> lsm = spec::norm::softmaxLine(d, row, true);
      std::vector<V> terms;
      for (int64_t k = 0; k < p.classes; ++k)
        terms.push_back(d.mul(lsm[static_cast<size_t>(k)],
                              operand(1, affine<X>({{e, p.classes}}, k))));
      return d.neg(spec::red::sumOf(d, terms));
    };
    if (p.reduction == R::None)
      return per(flat);
    int64_t count = op.op == "cross_entropy" ? p.rows : inType.numel();
    std::vector<V> all;
    for (int64_t e = 0; e < count; ++e)
      all.push_back(per(X::c(e)));
    V total = spec::red::sumOf(d, all);
    if (p.reduction == R::Mean)
      total = d.div(total, d.num(static_cast<double>(all.size())));
    return total;
  }
  }
  return d.f32(0.0f); // unreachable: symbolicTensorOpCovered
}

template <class D, class X>
typename D::Val elementAt(Ctx<D, X> &cx, const std::string &tensor,
                          const typename X::I &flat) {
  const spec::OpNode *producer = nullptr;
  for (const spec::OpNode &op : cx.s.ops)
    if (op.output == tensor)
      producer = &op;
  if (!producer) {
    if (++cx.reads > kMaxReads && cx.capped)
      throw CannotDecide(UnknownKind::Bound,
                         "the reference element of a store reads more than " +
                             std::to_string(kMaxReads) +
                             " input elements (the symbolic work-item "
                             "method builds it as one term)");
    return cx.leaf(tensor, flat);
  }
  const std::vector<int64_t> &dims = cx.types.at(tensor).dims;
  if (spec::isTensorOp(*producer))
    return tensorElementAt<D, X>(cx, *producer, flat);
  std::vector<typename D::Val> args;
  for (const spec::Operand &x : producer->inputs) {
    if (const auto *lit = std::get_if<double>(&x)) {
      args.push_back(cx.d.f32(static_cast<float>(*lit)));
      continue;
    }
    const std::string &u = std::get<std::string>(x);
    args.push_back(elementAt<D, X>(
        cx, u, broadcastAt<X>(dims, cx.types.at(u).dims, flat)));
  }
  return spec::applyElementwise(*producer, args, cx.d);
}

} // namespace

bool symbolicTensorOpCovered(const spec::OpNode &op) {
  // The first operand is a tensor (a reduction of a literal is not
  // covered); later operands (weights, biases, targets) may be literals.
  return spec::tensorOpAtIndex(op.op) && !op.inputs.empty() &&
         std::holds_alternative<std::string>(op.inputs[0]);
}

std::string symbolicCoveredOpsText() {
  std::string t = "elementwise ops";
  for (const char *name : spec::tensorOpsAtIndex())
    t += std::string(", ") + name;
  return t;
}

// Declared for the equivalence of the symbolic work-item method (see the
// note at SymIndex): while pushed, referenceElementAt asks `decide(c)` for
// each condition on index terms its element would branch on (a division's
// affine guess, a window tap inside the input, the position in a scan):
// true only where the current path implies c, false only where it implies
// !c, nullopt if unknown. The element term is then the reference element
// wherever those answers hold, that is on the path, and nowhere else: use
// it only under the path condition the answers were given for.
void pushReferenceDecider(
    std::function<std::optional<bool>(const smt::Expr &)> decide,
    smt::QuerySolver *solver, unsigned identityMs) {
  deciders.push_back({std::move(decide), {}, solver, identityMs});
}
void pushReferenceDecider(
    std::function<std::optional<bool>(const smt::Expr &)> decide) {
  pushReferenceDecider(std::move(decide), nullptr, 0);
}
void popReferenceDecider() {
  if (!deciders.empty())
    deciders.pop_back();
}

Expr referenceElementAt(const spec::Spec &s, const spec::ShapeBinding &shape,
                        const std::string &tensor, const Expr &flat) {
  auto types = spec::inferTypes(s, shape);
  SymDomain d;
  auto leaf = [&](const std::string &t, const SymIndex::I &i) {
    if (types.at(t).dims.empty())
      return Expr::fpFromBits(Expr::bvVar(t, 32));
    return Expr::fpFromBits(inputArray(t, 32).select(i.e));
  };
  Ctx<SymDomain, SymIndex> cx{s, types, d, leaf, 0, true};
  return elementAt<SymDomain, SymIndex>(cx, tensor, SymIndex::of(flat));
}

spec::Scalar concreteReferenceValueAt(
    const spec::Spec &s, const spec::ShapeBinding &shape,
    const std::string &tensor, int64_t flat,
    const std::function<uint32_t(const std::string &, int64_t)> &inputBits) {
  auto types = spec::inferTypes(s, shape);
  spec::ConcreteDomain d;
  Ctx<spec::ConcreteDomain, ConIndex> cx{
      s,
      types,
      d,
      [&](const std::string &t, const int64_t &i) {
        return spec::ConcreteDomain::f32(bitsFloat(inputBits(t, i)));
      },
      0,
      false};
  return elementAt<spec::ConcreteDomain, ConIndex>(cx, tensor, flat);
}

uint32_t concreteReferenceAt(
    const spec::Spec &s, const spec::ShapeBinding &shape,
    const std::string &tensor, int64_t flat,
    const std::function<uint32_t(const std::string &, int64_t)> &inputBits) {
  return floatBits(
      concreteReferenceValueAt(s, shape, tensor, flat, inputBits).f);
}

} // namespace ksynth::verify
