// The reference side of the symbolic work-item method: one element of a
// spec tensor at a flat index term (verify/methods/SymbolicItem.h).
#include "verify/methods/SymbolicItem.h"

#include "solver/Solver.h"
#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "spec/ops/Apply.h"
#include "spec/ops/Index.h"
#include "spec/ops/Params.h"
#include "support/Float.h"
#include "verify/core/Unknown.h"
#include "verify/numerics/SymbolicReference.h"

#include <functional>
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
  static B less(const I &a, const I &b) {
    std::optional<uint64_t> x = a.e.asUInt(), y = b.e.asUInt();
    if (x && y)
      return lit(*x < *y);
    return a.e.ult(b.e);
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
// (symbolicTensorOpCovered): the op's value at an output index, written
// once in spec/ops and dispatched by spec::withValueAt, evaluated over
// index terms; its operands are read at index terms through elementAt, so
// an operand may itself be computed. Conditions on the output coordinates
// (a window tap inside the input, the position in a scan) are decided on
// the path where they can be (SymIndex::decided), else ite terms.
template <class D, class X>
typename D::Val tensorElementAt(Ctx<D, X> &cx, const spec::OpNode &op,
                                const typename X::I &flat) {
  using V = typename D::Val;
  using I = typename X::I;
  D &d = cx.d;
  std::vector<spec::TensorType> inTypes;
  for (const spec::Operand &x : op.inputs) {
    if (const auto *name = std::get_if<std::string>(&x))
      inTypes.push_back(cx.types.at(*name));
    else
      inTypes.push_back({spec::DType::Float32, {}});
  }
  if (op.op == "cross_entropy" && // symbolicQualifies refuses it too
      spec::lossParams(op, inTypes).classIndices)
    throw CannotDecide(UnknownKind::Unsupported,
                       "cross_entropy with int64 class indices is not "
                       "covered by the symbolic work-item method");
  // Operand k at a flat index (a literal operand is 0-d: its value).
  auto operand = [&](size_t k, const I &i) -> V {
    const spec::Operand &x = op.inputs.at(k);
    if (const auto *lit = std::get_if<double>(&x))
      return d.f32(static_cast<float>(*lit));
    return elementAt<D, X>(cx, std::get<std::string>(x), i);
  };
  std::optional<V> value;
  spec::withValueAt<D, X>(op, inTypes, d, operand,
                          [&](auto valueAt) { value = valueAt(flat); });
  return *value;
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
