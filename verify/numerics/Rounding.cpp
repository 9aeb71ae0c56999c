// The rounding level (Rounding.h): terms to reals, and error bounds
// propagated through float operations, divisions and ulp-bounded functions.
#include "verify/numerics/Rounding.h"
#include "verify/core/VarNames.h"
#include "verify/numerics/RoundingArith.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <set>
#include <string>

// The propagation rules and the argument for each: docs/rounding-level.md.
// Notation: a computed value x^ of ideal value x with |x^ - x| <= A + R|x|
// (ErrorBound::abs, rel) and <= E (err); M = maxAbs of the ideal interval.

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

using namespace rounding;

Rounding::Rounding(std::function<std::optional<Box>(const std::string &)> box)
    : box_(std::move(box)) {}

bool Rounding::fail(const std::string &why) {
  if (why_.empty())
    why_ = why;
  return false;
}

void Rounding::setOpaque(const std::vector<std::pair<Expr, Box>> &terms) {
  for (const auto &[t, b] : terms)
    opaque_.emplace(t.id(), std::make_pair(t, b));
}

std::optional<Expr> Rounding::toReal(const Expr &e) {
  auto it = real_.find(e.id());
  if (it != real_.end())
    return it->second.second;
  std::vector<Expr> a = e.args();
  std::vector<Expr> r;
  Op op = e.op();
  auto op_ = opaque_.find(e.id());
  if (op_ != opaque_.end()) {
    // A shared subterm: its computed value, a variable in its range.
    std::string name = "opaque:" + std::to_string(e.id());
    realVars_[name] = op_->second.second;
    Expr v = Expr::realVar(name);
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::FromBits && a.size() == 1 && a[0].op() == Op::BVNum)
    op = Op::FPNum; // a constant written as its bits
  if (op == Op::FromBits) {
    if (a.size() != 1 || !a[0].isConstVar()) {
      fail("reinterpreted bits of a computed value");
      return std::nullopt;
    }
    std::string name = a[0].varName();
    std::optional<Box> b = box_(name);
    if (!b) {
      fail(var::describeValue(name) + " may be NaN, infinite or unbounded");
      return std::nullopt;
    }
    realVars_[var::real(name)] = *b;
    Expr v = Expr::realVar(var::real(name));
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::FPNum) {
    std::optional<float> f = constantOf(e);
    if (!f) {
      fail("a NaN or infinite constant");
      return std::nullopt;
    }
    Expr v = Expr::realFromDouble(static_cast<double>(*f));
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::Ite) {
    if (auto d = decide(a[0])) {
      auto v = toReal(*d ? a[1] : a[2]);
      if (v)
        real_.emplace(e.id(), std::make_pair(e, *v));
      return v;
    }
    if (const CaseTable *t = caseTable(e)) {
      auto v = realCases(*t);
      if (v)
        real_.emplace(e.id(), std::make_pair(e, *v));
      return v;
    }
    int mm = minMax(e);
    if (mm == 0) {
      // A branch on values computed exactly is the same branch over the
      // reals (an ELU's x < 0).
      if (!exactCondition(a[0])) {
        fail("a branch on a computed value that is neither min nor max nor "
             "an exactly computed comparison");
        return std::nullopt;
      }
      auto rc = realCondition(a[0]);
      auto [then, other] = branches(e);
      auto x = rc ? toReal(then) : std::nullopt;
      auto y = x ? toReal(other) : std::nullopt;
      if (!y)
        return std::nullopt;
      Expr v = Expr::ite(*rc, *x, *y);
      real_.emplace(e.id(), std::make_pair(e, v));
      return v;
    }
    // min/max are continuous: the ideal value is the real min/max of the
    // leaves. Whatever order or tie rule picked it, the max of one set is
    // one variable m with m >= every leaf and m equal to one of them, so
    // that both sides' max of a row is syntactically the same term.
    std::vector<Expr> leaves;
    collectLeaves(e, mm, leaves);
    std::vector<unsigned> ids;
    std::vector<Expr> reals;
    for (const Expr &l : leaves) {
      auto rl = toReal(l);
      if (!rl)
        return std::nullopt;
      // Keyed by the leaves' ideal values (simplified: Z3's polynomial
      // normal form), so that max(fma(-t, x, 1), 0) and max(1 - t*x, 0)
      // are one variable; equal leaf values have equal maxima.
      Expr key = rl->simplify();
      keepLeaves_.push_back(key);
      ids.push_back(key.id());
      reals.push_back(*rl);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::string key = mm > 0 ? "r.max" : "r.min";
    for (unsigned id : ids)
      key += "_" + std::to_string(id);
    auto known = extremes_.find(key);
    if (known != extremes_.end()) {
      real_.emplace(e.id(), std::make_pair(e, known->second));
      return known->second;
    }
    Expr v = Expr::realVar(key);
    std::vector<Expr> isOne;
    for (const Expr &rl : reals) {
      facts_.push_back(mm > 0 ? rl.rle(v) : v.rle(rl));
      isOne.push_back(v.eq(rl));
    }
    facts_.push_back(Expr::orAll(isOne));
    extremes_.emplace(key, v);
    keepLeaves_.insert(keepLeaves_.end(), leaves.begin(), leaves.end());
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::UF && e.ufName() == "cl.div" && a.size() == 2) {
    auto x = toReal(a[0]), y = toReal(a[1]);
    if (!x || !y)
      return std::nullopt;
    Expr v = x->rdiv(*y);
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::UF || op == Op::FSqrt) {
    // IEEE sqrt is correctly rounded: a function with a half-ulp bound.
    std::string fn = op == Op::FSqrt ? "ieee.sqrt" : e.ufName();
    if (!ulps(fn) || a.size() != 1) {
      fail("function " + fn + " has no known accuracy");
      return std::nullopt;
    }
    auto x = toReal(a[0]);
    if (!x)
      return std::nullopt;
    Expr v = Expr::uf(realName(fn), {*x});
    std::string base = realName(fn).substr(2);
    // True of the functions everywhere (so they hide no input): range,
    // sign and the tangent at 0 (exp(x) >= 1 + x, log1p(x) <= x, ...).
    Expr zero = Expr::realVal(0), one = Expr::realVal(1);
    if (base == "exp") {
      facts_.push_back(zero.rlt(v));
      facts_.push_back(!x->eq(zero) || v.eq(one));
      facts_.push_back(one.radd(*x).rle(v));
      facts_.push_back((!x->rle(zero) || v.rle(one)) &&
                       (!zero.rle(*x) || one.rle(v)));
    }
    if (base == "expm1") {
      facts_.push_back(Expr::realVal(-1).rlt(v) && x->rle(v));
      facts_.push_back((!x->rle(zero) || v.rle(zero)) &&
                       (!zero.rle(*x) || zero.rle(v)));
    }
    if (base == "log1p") {
      facts_.push_back(Expr::realVal(-1).rlt(*x).implies(v.rle(*x)));
      facts_.push_back(
          (!(Expr::realVal(-1).rlt(*x) && x->rle(zero)) || v.rle(zero)) &&
          (!zero.rle(*x) || zero.rle(v)));
    }
    if (base == "log") {
      facts_.push_back(zero.rlt(*x).implies(v.rle(x->rsub(one))));
      facts_.push_back((!(zero.rlt(*x) && x->rle(one)) || v.rle(zero)) &&
                       (!one.rle(*x) || zero.rle(v)));
    }
    if (base == "tanh" || base == "erf")
      facts_.push_back((!x->rle(zero) || v.rle(zero)) &&
                       (!zero.rle(*x) || zero.rle(v)));
    // Guarded: a fact that could not hold somewhere (sqrt of a negative
    // value in a branch not taken there) would hide those inputs.
    if (base == "sqrt")
      facts_.push_back(x->rlt(Expr::realVal(0)) ||
                       (Expr::realVal(0).rle(v) && v.rmul(v).eq(*x)));
    if (base == "tanh" || base == "erf")
      facts_.push_back(Expr::realVal(-1).rle(v) && v.rle(Expr::realVal(1)));
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  for (const Expr &x : a) {
    if (!x.isFP()) {
      fail("a branch or comparison on a computed value");
      return std::nullopt;
    }
    auto rx = toReal(x);
    if (!rx)
      return std::nullopt;
    r.push_back(*rx);
  }
  Expr v;
  switch (op) {
  case Op::FAdd:
    v = r[0].radd(r[1]);
    break;
  case Op::FSub:
    v = r[0].rsub(r[1]);
    break;
  case Op::FMul:
    v = r[0].rmul(r[1]);
    break;
  case Op::FDiv:
    v = r[0].rdiv(r[1]);
    break;
  case Op::FMA:
    v = r[0].rmul(r[1]).radd(r[2]);
    break;
  case Op::FNeg:
    v = r[0].rneg();
    break;
  case Op::FAbs:
    v = Expr::ite(r[0].rlt(Expr::realVal(0)), r[0].rneg(), r[0]);
    break;
  default:
    fail("an operation outside + - * / fma neg abs (" + e.str().substr(0, 60) +
         ")");
    return std::nullopt;
  }
  real_.emplace(e.id(), std::make_pair(e, v));
  return v;
}

std::optional<ErrorBound> Rounding::bound(const Expr &e) {
  std::optional<ErrorBound> b = boundOf(e);
  if (b && b->mayBeInf()) {
    fail("a result may overflow float32");
    return std::nullopt;
  }
  return b;
}

std::optional<ErrorBound> Rounding::rounded(ErrorBound z, double ulps) {
  // z: the exact operation on the computed operands, within z's bounds of
  // the ideal value. Round to nearest: fl(v) = v(1 + d) + e, |d| <= u,
  // |e| <= eta; k ulps: |fl(v) - v| <= k(2^-23|v| + 2^-149).
  double ru = ulps == 0.5 ? kU : ulps * kUlpRel;
  // An approximate operation may also flush a subnormal result to zero.
  double ra = ulps == 0.5 ? kEta : ulps * kUlpAbs + kFlush;
  double mag = z.maxAbs() + z.err; // |v| for the computed operands
  if (!std::isfinite(mag)) {
    fail("an intermediate result may overflow float32");
    return std::nullopt;
  }
  if (up(mag * (1 + ru) + ra) >= kNoOverflow) {
    // Only a positive overflow is modelled (+inf; x / +inf = 0 later).
    if (addDir(z.lo, -z.err, -1) <= -kNoOverflow * 0.5) {
      fail("an intermediate result may overflow float32");
      return std::nullopt;
    }
    // v >= kNoOverflow is needed to overflow; v <= y + A + R y.
    double t = (kNoOverflow - z.abs) / (1 + z.rel) * (1 - 0x1p-40);
    if (!(t > 0)) {
      fail("an intermediate result may overflow float32");
      return std::nullopt;
    }
    z.infAbove = std::min(z.infAbove, t);
  }
  z.err = up(z.err + ru * mag + ra);
  z.abs = up(z.abs * (1 + ru) + ra);
  z.rel = up(z.rel * (1 + ru) + ru);
  // Round to nearest keeps the sign; a k-ulp result near 0 need not.
  z.nonneg = z.nonneg && ulps == 0.5;
  settle(z);
  return z;
}

std::optional<ErrorBound> Rounding::boundOf(const Expr &e) {
  auto it = bounds_.find(e.id());
  if (it != bounds_.end())
    return it->second.second;
  Op op = e.op();
  ErrorBound out;
  auto opq = opaque_.find(e.id());
  if (op == Op::FromBits && e.args().size() == 1 &&
      e.args()[0].op() == Op::BVNum)
    op = Op::FPNum;
  if (opq != opaque_.end()) {
    // A shared subterm: exact by definition, in its computed range.
    Box b = opq->second.second;
    out.lo = b.lo;
    out.hi = b.hi;
    out.nonneg = b.lo >= 0;
  } else if (op == Op::FromBits) {
    std::vector<Expr> a = e.args();
    if (a.size() != 1 || !a[0].isConstVar() || !box_(a[0].varName())) {
      fail("input may be NaN, infinite or unbounded");
      return std::nullopt;
    }
    Box b = *box_(a[0].varName());
    out.lo = b.lo;
    out.hi = b.hi;
    out.nonneg = b.lo >= 0;
    out.signVar = static_cast<long>(e.id());
  } else if (op == Op::FPNum) {
    std::optional<float> f = constantOf(e);
    if (!f) {
      fail("a NaN or infinite constant");
      return std::nullopt;
    }
    out.lo = out.hi = *f;
    out.nonneg = *f >= 0;
  } else if (op == Op::Ite) {
    std::vector<Expr> a = e.args();
    if (auto d = decide(a[0])) {
      auto b = boundOf(*d ? a[1] : a[2]);
      if (!b)
        return std::nullopt;
      out = *b;
    } else if (const CaseTable *t = caseTable(e)) {
      auto b = boundCases(*t);
      if (!b)
        return std::nullopt;
      out = *b;
    } else if (int mm = minMax(e); mm != 0) {
      std::vector<Expr> pq = comparedPair(e);
      auto x = boundOf(pq[0]), y = boundOf(pq[1]);
      if (!x || !y)
        return std::nullopt;
      if (x->mayBeInf() || y->mayBeInf()) {
        fail("min/max of a value that may overflow float32");
        return std::nullopt;
      }
      // |max(x^, y^) - max(x, y)| <= max(|x^ - x|, |y^ - y|), likewise min;
      // relative to |max(x, y)| only where both are >= 0 (|x|, |y| <=
      // max(x, y)), for min where both are <= 0.
      out.lo = mm > 0 ? std::max(x->lo, y->lo) : std::min(x->lo, y->lo);
      out.hi = mm > 0 ? std::max(x->hi, y->hi) : std::min(x->hi, y->hi);
      out.err = std::max(x->err, y->err);
      bool keepRel =
          mm > 0 ? x->lo >= 0 && y->lo >= 0 : x->hi <= 0 && y->hi <= 0;
      out.abs = keepRel ? std::max(x->abs, y->abs) : out.err;
      out.rel = keepRel ? std::max(x->rel, y->rel) : 0;
      out.nonneg = mm > 0 ? x->nonneg || y->nonneg : x->nonneg && y->nonneg;
      settle(out);
    } else {
      auto b = boundPiecewise(e);
      if (!b)
        return std::nullopt;
      out = *b;
    }
  } else if (op == Op::UF && e.ufName() == "cl.div") {
    // OpenCL's default float division: 2.5 ulp instead of 0.5.
    auto b = boundDivision(e, 2.5);
    if (!b)
      return std::nullopt;
    out = *b;
  } else if (op == Op::UF || op == Op::FSqrt) {
    auto b = boundFunction(e);
    if (!b)
      return std::nullopt;
    out = *b;
  } else if (op == Op::FDiv) {
    auto b = boundDivision(e, 0.5);
    if (!b)
      return std::nullopt;
    out = *b;
  } else {
    std::vector<Expr> args = e.args();
    std::vector<ErrorBound> x;
    for (const Expr &a : args) {
      if (!a.isFP()) {
        fail("a branch or comparison on a computed value");
        return std::nullopt;
      }
      auto b = boundOf(a);
      if (!b)
        return std::nullopt;
      x.push_back(*b);
    }
    // +inf + finite and +inf - finite stay +inf; nothing else is modelled.
    bool infOperand = false;
    for (size_t i = 0; i < x.size(); ++i)
      infOperand =
          infOperand ||
          (x[i].mayBeInf() && !(op == Op::FAdd || (op == Op::FSub && i == 0)));
    if (infOperand) {
      fail("an operation on a value that may overflow float32");
      return std::nullopt;
    }
    std::optional<ErrorBound> r;
    switch (op) {
    case Op::FNeg:
      out = negOf(x[0]);
      break;
    case Op::FAbs:
      out = x[0];
      out.lo = x[0].minAbs();
      out.hi = x[0].maxAbs();
      out.nonneg = true;
      out.signVar = -1;
      // ||x^| - |x|| <= |x^ - x|, and |x| is the ideal value's magnitude.
      break;
    case Op::FAdd:
      r = rounded(sumOf(x[0], x[1]), 0.5);
      break;
    case Op::FSub: {
      // a - max(..., a, ...) <= 0 exactly (not for a shared max: its value
      // is the max of the computed leaves, which may lie below a's ideal).
      bool belowMax =
          !opaque_.count(args[1].id()) && isMaxOperand(args[1], args[0]);
      ErrorBound z = sumOf(x[0], negOf(x[1]));
      if (belowMax)
        z.hi = std::min(z.hi, 0.0);
      r = rounded(z, 0.5);
      break;
    }
    case Op::FMul: {
      bool square = args[0].same(args[1]);
      // A power of two: exact but for a subnormal result.
      for (int i = 0; i < 2 && !square; ++i) {
        std::optional<int> k = powerOfTwo(args[1 - i]);
        if (!k)
          continue;
        double c = std::ldexp(1.0, *k);
        bool neg = x[1 - i].lo < 0;
        ErrorBound z = neg ? negOf(x[i]) : x[i];
        z.lo = mulDir(z.lo, c, -1);
        z.hi = mulDir(z.hi, c, 1);
        double e = *k < 0 ? kEta : 0;
        z.err = up(z.err * c + e);
        z.abs = up(z.abs * c + e);
        z.nonneg = x[i].nonneg && !neg;
        if (up((z.maxAbs() + z.err) * (1 + kU)) >= kNoOverflow) {
          fail("an intermediate result may overflow float32");
          return std::nullopt;
        }
        settle(z);
        r = z;
        break;
      }
      if (!r)
        r = rounded(productOf(x[0], x[1], square), 0.5);
      break;
    }
    case Op::FMA:
      r = rounded(sumOf(productOf(x[0], x[1], args[0].same(args[1])), x[2]),
                  0.5);
      break;
    default:
      fail("an operation outside + - * / fma neg abs");
      return std::nullopt;
    }
    if (op != Op::FNeg && op != Op::FAbs) {
      if (!r)
        return std::nullopt;
      out = *r;
    }
  }
  bounds_.emplace(e.id(), std::make_pair(e, out));
  return out;
}

std::optional<ErrorBound> Rounding::boundDivision(const Expr &e, double ulps) {
  std::vector<Expr> a = e.args();
  if (a.size() != 2)
    return std::nullopt;
  auto x = boundOf(a[0]), y = boundOf(a[1]);
  if (!x || !y)
    return std::nullopt;
  if (x->mayBeInf()) {
    fail("a dividend may overflow float32");
    return std::nullopt;
  }
  // b <= |y| (proved where intervals are too loose); y^ = y(1 + t) with
  // |t| <= ry = Ay/b + Ry < 1. Then x^/y^ - x/y = (dx - (x/y) y t)/(y^):
  // |.| <= Ax/(b(1 - ry)) + (Rx + ry)/(1 - ry) |x/y|.
  double b = divisorLowerBound(a[1], *y);
  double ry = b > 0 ? up(y->abs / b + y->rel) : kInf;
  if (!(b > 0) || ry >= 0.5) {
    fail("a divisor may be zero");
    return std::nullopt;
  }
  double ylo = y->lo, yhi = y->hi;
  if (ylo >= 0)
    ylo = std::max(ylo, b);
  else if (yhi <= 0)
    yhi = std::min(yhi, -b);
  else {
    fail("a divisor may be zero");
    return std::nullopt;
  }
  double q[4] = {divDir(x->lo, ylo, -1), divDir(x->lo, yhi, -1),
                 divDir(x->hi, ylo, -1), divDir(x->hi, yhi, -1)};
  double Q[4] = {divDir(x->lo, ylo, 1), divDir(x->lo, yhi, 1),
                 divDir(x->hi, ylo, 1), divDir(x->hi, yhi, 1)};
  ErrorBound z;
  z.lo = *std::min_element(q, q + 4);
  z.hi = *std::max_element(Q, Q + 4);
  double yerr = std::min(y->err, up(y->abs + y->rel * y->maxAbs()));
  // (x^ y - x y^)/(y^ y): (Ex My + Mx Ey)/(b (b - Ey)).
  z.err = yerr < b ? up((x->err * y->maxAbs() + x->maxAbs() * yerr) /
                        (b * (b - yerr) * (1 - 0x1p-40)))
                   : kInf;
  if (!std::isfinite(z.err))
    z.err = kInf;
  z.abs = up(x->abs / (b * (1 - ry)));
  z.rel = up((x->rel + ry) / (1 - ry));
  if (y->mayBeInf() && !(y->infAbove > 0)) {
    fail("a divisor may overflow float32");
    return std::nullopt;
  }
  if (y->mayBeInf()) {
    // y^ = +inf gives x^/y^ = 0, and then |x/y| <= Mx / infAbove.
    double e0 = up(x->maxAbs() / y->infAbove);
    z.err = std::max(z.err, e0);
    z.abs = std::max(z.abs, e0);
  }
  z.nonneg = x->nonneg && y->nonneg;
  if (y->lo >= 0 || y->hi <= 0) {
    z.signVar = x->signVar;
    z.signNeg = x->signNeg != (y->hi <= 0);
  }
  settle(z);
  return rounded(z, ulps);
}

std::optional<ErrorBound> Rounding::boundFunction(const Expr &e) {
  Op op = e.op();
  std::string fn = op == Op::FSqrt ? "ieee.sqrt" : e.ufName();
  std::optional<double> k = ulps(fn);
  std::vector<Expr> a = e.args();
  if (!k || a.size() != 1) {
    fail("function " + fn + " has no known accuracy");
    return std::nullopt;
  }
  auto xb = boundOf(a[0]);
  if (!xb)
    return std::nullopt;
  const ErrorBound &x = *xb;
  std::string base = realName(fn).substr(2);
  if (x.mayBeInf()) {
    fail(base + " of a value that may overflow float32");
    return std::nullopt;
  }
  double A = x.abs, R = x.rel, D = x.err; // D: |x^ - x| everywhere
  // f(x^) against f(x): an interval [flo, fhi] of f(x), and bounds
  // |f(x^) - f(x)| <= A1 + R1|f(x)| and <= E1.
  ErrorBound z;
  double A1 = 0, R1 = 0, E1 = 0;
  bool odd = false; // tanh, erf: |f| < 1
  if (base == "exp") {
    // exp(x^) - exp(x) = exp(x)(exp(x^ - x) - 1): relative expm1(D).
    z.lo = fnDown(std::exp(x.lo));
    z.hi = fnUp(std::exp(x.hi));
    R1 = up(std::expm1(D));
    E1 = up(R1 * z.hi);
    if (R < 0.5) {
      // Pointwise |x^ - x| <= A + R|x|: exp(x) expm1(A + R|x|) <= exp(x)
      // expm1(A) + e^A exp(x) expm1(R|x|), and exp(x) expm1(R|x|) is
      // <= R/((1-R)e) for x <= 0 (its maximum, at x = log(1-R)/R) and
      // <= expm1(R hi) exp(x) for x > 0: a softmax's exp(x - max) with
      // x - max down to -200 keeps a relative error near A, not 200u.
      double eA = std::exp(A) * kSlack;
      double R2 = up(std::expm1(A) + eA * std::expm1(R * std::max(x.hi, 0.0)));
      double A2 = x.lo < 0 ? up(eA * R / ((1 - R) * 2.718281)) : 0;
      if (R2 <= R1) {
        R1 = R2;
        A1 = A2;
        E1 = std::min(E1, up(A1 + R1 * z.hi));
      }
    }
    z.nonneg = false; // a k-ulp result near 0 need not be >= 0
  } else if (base == "expm1") {
    // |expm1(x^) - expm1(x)| = exp(x)|expm1(x^ - x)| <= exp(hi) expm1(D).
    z.lo = fnDown(std::expm1(x.lo));
    z.hi = fnUp(std::expm1(x.hi));
    A1 = E1 = up(std::exp(x.hi) * std::expm1(D));
  } else if (base == "log") {
    // log(x^) - log(x) = log(1 + dx/x), |dx/x| <= A/b + R = t < 1.
    double b = x.lo > 0 ? divisorLowerBound(a[0], x) : 0;
    double t = b > 0 ? up(A / b + R) : kInf;
    if (!(b > 0) || t >= 0.5) {
      fail("log of a value that may be <= 0");
      return std::nullopt;
    }
    z.lo = fnDown(std::log(std::max(x.lo, b)));
    z.hi = fnUp(std::log(x.hi));
    A1 = E1 = up(-std::log1p(-t));
  } else if (base == "log1p") {
    if (!(x.lo > -1)) {
      fail("log1p of a value that may be <= -1");
      return std::nullopt;
    }
    z.lo = fnDown(std::log1p(x.lo));
    z.hi = fnUp(std::log1p(x.hi));
    // log1p(x^) - log1p(x) = log(1 + s), s = dx/(1 + x), |log(1+s)| <=
    // |s|/(1 - |s|). For x >= 0: |s| <= A + R x/(1+x) <= A + R log1p(x)
    // (x/(1+x) <= log1p(x)) and |s| < A + R.
    if (x.lo >= 0) {
      double t = up(A + R);
      if (t >= 0.5) {
        fail("log1p of a value that may be <= -1");
        return std::nullopt;
      }
      A1 = up(A / (1 - t));
      R1 = up(R / (1 - t));
      E1 = up(A1 + R1 * z.hi);
    } else {
      double t = up(D / addDir(1, x.lo, -1));
      if (t >= 0.5) {
        fail("log1p of a value that may be <= -1");
        return std::nullopt;
      }
      A1 = E1 = up(t / (1 - t));
    }
  } else if (base == "sqrt") {
    // Needs x >= 0 (ideal) and x^ >= 0 (else NaN). For x^ = x + d1 + d2,
    // |d1| <= R x, |d2| <= A: |sqrt(x^) - sqrt(x)| <= (1 - sqrt(1 - R))
    // sqrt(x) + sqrt(A); also <= sqrt(D), and <= D / (2 sqrt(lo - D)).
    if (x.lo < 0 || (!x.nonneg && addDir(x.lo, -D, -1) < 0) || R >= 0.5) {
      fail("sqrt of a value that may be < 0");
      return std::nullopt;
    }
    // double sqrt is correctly rounded: one step outward (0 stays 0).
    z.lo = std::max(0.0, nudge(std::sqrt(x.lo), -1));
    z.hi = nudge(std::sqrt(x.hi), 1);
    A1 = up(std::sqrt(A) * kSlack);
    R1 = up(R / (1 + std::sqrt(1 - R))); // 1 - sqrt(1 - R)
    E1 = up(std::sqrt(D) * kSlack);
    if (x.lo > D)
      E1 = std::min(E1, up(D / (2 * std::sqrt(x.lo - D) * (1 - 0x1p-40))));
  } else if (base == "tanh" || base == "erf") {
    odd = true;
    bool isTanh = base == "tanh";
    z.lo = fnDown(isTanh ? std::tanh(x.lo) : std::erf(x.lo));
    z.hi = fnUp(isTanh ? std::tanh(x.hi) : std::erf(x.hi));
    z.lo = std::max(z.lo, -1.0);
    z.hi = std::min(z.hi, 1.0);
    // |f(x^) - f(x)| <= f'(xi)|d|, f' even, decreasing in |xi|; with
    // s = |x|(1 - R) - A <= |xi|: <= f'(0) A/(1-R) + sup(s f'(s)) R/(1-R).
    // Relative form: split d = d1 + d2, |d1| <= R|x|, |d2| <= A. Both are
    // odd and concave for x > 0 with f(0) = 0 (so f(w) >= w f'(w)):
    // |f(x + d1) - f(x)| <= f'(w) R|x| with w = |x|(1-R), <= R/(1-R) f(w)
    // <= R/(1-R)|f(x)|; and |f(x^) - f(x + d1)| <= f'(0) A.
    double slope0 = isTanh ? 1.0 : 1.1283792;
    double supS = isTanh ? 0.4478 : 0.4840;
    if (R >= 0.5) {
      fail(base + " of a value with too large an error");
      return std::nullopt;
    }
    E1 = up((slope0 * A + supS * R) / (1 - R));
    E1 = std::min(E1, up(slope0 * D));
    R1 = up(R / (1 - R));
    A1 = up(slope0 * A);
  } else {
    fail("function " + fn + " has no error model");
    return std::nullopt;
  }
  if (!std::isfinite(z.lo) || !std::isfinite(z.hi) || !std::isfinite(E1)) {
    fail(base + " may overflow float32");
    return std::nullopt;
  }
  z.abs = A1;
  z.rel = R1;
  z.err = E1;
  settle(z);
  // Then k ulps of f(x^): |f(x^)| <= |f(x)|(1 + R1) + A1.
  double V = z.maxAbs() + z.err, Vcap = V;
  if (odd) {
    // |tanh|, |erf| < 1 on finite arguments: ulp <= 2^-24.
    V = std::min(V, 1.0);
    Vcap = std::min(V, 0.75);
  }
  double kr = *k == 0.5 ? kU : *k * kUlpRel;
  double ka = *k == 0.5 ? kEta : *k * kUlpAbs + kFlush;
  if (up(V * (1 + kr) + ka) >= kNoOverflow) {
    if (base != "exp") {
      fail(base + " may overflow float32");
      return std::nullopt;
    }
    // exp returns +inf only where exp(x^) >= kNoOverflow, so where
    // exp(x) >= kNoOverflow / (1 + R1).
    z.infAbove = kNoOverflow / (1 + R1) * (1 - 0x1p-40);
  }
  double capped = *k * ulpCap(Vcap) * (1 + 0x1p-18) + (*k == 0.5 ? 0 : kFlush);
  z.err = up(z.err + std::min(kr * V + ka, capped));
  z.abs = up(z.abs * (1 + kr) + ka);
  z.rel = up(z.rel * (1 + kr) + kr);
  // IEEE sqrt of x^ >= 0 is >= 0 (or -0); a k-ulp cl.sqrt near 0 might
  // not be, and neither might a k-ulp exp of an underflowing value.
  z.nonneg = op == Op::FSqrt;
  settle(z);
  return z;
}

} // namespace ksynth::verify
