#include "verify/Rounding.h"
#include "verify/VarNames.h"

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

namespace {

constexpr double kU = 0x1p-24;         // unit roundoff of binary32, nearest
constexpr double kEta = 0x1p-150;      // half the smallest subnormal spacing
constexpr double kSlack = 1 + 0x1p-40; // covers rounding in this analysis
constexpr double kInf = std::numeric_limits<double>::infinity();
// k ulps of a result y: k*ulp(y) <= k*(2^-23|y| + 2^-149), with a factor
// that also covers ulp taken at the returned value instead of y.
constexpr double kUlpRel = 0x1p-23 * (1 + 0x1p-18);
constexpr double kUlpAbs = 0x1p-149 * (1 + 0x1p-18);
// A k-ulp function or division may flush a subnormal result to zero
// (OpenCL devices without denormal support): |error| < 2^-126 more.
constexpr double kFlush = 0x1p-126;
// The largest finite float (as a double) and a threshold below which no
// rounding, correctly rounded or within a few ulps, can overflow.
constexpr double kFltMax = static_cast<double>(FLT_MAX);
constexpr double kNoOverflow = static_cast<double>(FLT_MAX) * (1 - 0x1p-20);

// Rounds a non-negative error quantity up (a few double operations); an
// exact 0 (no error at all) stays 0.
double up(double x) { return x == 0 ? 0 : x * kSlack + 0x1p-1000; }

// ---- directed interval arithmetic on doubles: exact results stay exact
// (0 stays 0, so signs survive), inexact ones move one double outward.
double nudge(double v, int dir) {
  return std::nextafter(v, dir > 0 ? kInf : -kInf);
}
double tinyOutward(double v, int dir) {
  return dir > 0 ? std::max(v, 0.0) + 0x1p-900 : std::min(v, 0.0) - 0x1p-900;
}
double addDir(double a, double b, int dir) {
  double s = a + b;
  if (!std::isfinite(s))
    return s;
  double bb = s - a, e = (a - (s - bb)) + (b - bb); // TwoSum: a + b - s
  return (dir > 0 && e > 0) || (dir < 0 && e < 0) ? nudge(s, dir) : s;
}
double mulDir(double a, double b, int dir) {
  if (a == 0 || b == 0)
    return 0;
  double p = a * b;
  if (!std::isfinite(p))
    return p;
  if (std::fabs(p) < 0x1p-900)
    return tinyOutward(p, dir);
  double e = std::fma(a, b, -p); // a*b - p, exact
  return (dir > 0 && e > 0) || (dir < 0 && e < 0) ? nudge(p, dir) : p;
}
double divDir(double a, double b, int dir) {
  if (a == 0)
    return 0;
  double q = a / b;
  if (!std::isfinite(q))
    return q;
  if (std::fabs(q) < 0x1p-900)
    return tinyOutward(q, dir);
  double r = std::fma(-q, b, a); // a - q*b, exact
  double e = b > 0 ? r : -r;     // the sign of a/b - q
  return (dir > 0 && e > 0) || (dir < 0 && e < 0) ? nudge(q, dir) : q;
}
// A libm result (not exact either) moved outward; an exact 0 (log(1),
// tanh(0), ...) stays 0 below.
double fnDown(double v) {
  return v - std::fabs(v) * 0x1p-40 - (v == 0 ? 0 : 0x1p-1000);
}
double fnUp(double v) { return v + std::fabs(v) * 0x1p-40 + 0x1p-1000; }

// The interval of the products of [a, b] and [c, d], outward.
std::pair<double, double> mulInterval(double a, double b, double c, double d) {
  double lo = std::min(
      {mulDir(a, c, -1), mulDir(a, d, -1), mulDir(b, c, -1), mulDir(b, d, -1)});
  double hi = std::max(
      {mulDir(a, c, 1), mulDir(a, d, 1), mulDir(b, c, 1), mulDir(b, d, 1)});
  return {lo, hi};
}

// ulp(v) for every |v| <= V: 2^(floor(log2 V) - 23), at least 2^-149.
double ulpCap(double V) {
  if (!(V > 0))
    return 0x1p-149;
  int e;
  std::frexp(V, &e); // V = f * 2^e, f in [0.5, 1): floor(log2 V) = e - 1
  return std::max(std::ldexp(1.0, e - 1 - 23), 0x1p-149);
}

// Keeps err <= abs + rel*M (both are bounds; err is the tighter one).
void settle(ErrorBound &b) {
  b.err = std::min(b.err, up(b.abs + b.rel * b.maxAbs()));
}

bool sameSign(const ErrorBound &x, const ErrorBound &y) {
  if ((x.lo >= 0 && y.lo >= 0) || (x.hi <= 0 && y.hi <= 0))
    return true;
  return x.signVar >= 0 && x.signVar == y.signVar && x.signNeg == y.signNeg;
}

// The exact sum of two computed values (no rounding yet).
ErrorBound sumOf(const ErrorBound &x, const ErrorBound &y) {
  ErrorBound z;
  z.lo = addDir(x.lo, y.lo, -1);
  z.hi = addDir(x.hi, y.hi, 1);
  z.err = up(x.err + y.err);
  if (sameSign(x, y)) {
    // |dx + dy| <= Ax + Ay + Rx|x| + Ry|y| <= Ax + Ay + max(R)|x + y|.
    z.abs = up(x.abs + y.abs);
    z.rel = std::max(x.rel, y.rel);
  } else {
    z.abs = z.err; // mixed signs: the relative parts become absolute
    z.rel = 0;
  }
  z.nonneg = x.nonneg && y.nonneg;
  if (x.signVar >= 0 && x.signVar == y.signVar && x.signNeg == y.signNeg) {
    z.signVar = x.signVar;
    z.signNeg = x.signNeg;
  }
  if (x.mayBeInf() || y.mayBeInf()) // +inf + finite (or +inf) is +inf
    z.infAbove =
        std::min(addDir(x.infAbove, y.lo, -1), addDir(y.infAbove, x.lo, -1));
  settle(z);
  return z;
}

ErrorBound negOf(ErrorBound x) {
  std::swap(x.lo, x.hi);
  x.lo = -x.lo;
  x.hi = -x.hi;
  x.nonneg = false;
  x.signNeg = !x.signNeg;
  return x;
}

// The sign class of a product whose other factor has a known sign.
void productSign(ErrorBound &z, const ErrorBound &x, const ErrorBound &y) {
  for (int i = 0; i < 2; ++i) {
    const ErrorBound &v = i ? y : x, &k = i ? x : y;
    if (v.signVar >= 0 && (k.lo >= 0 || k.hi <= 0)) {
      z.signVar = v.signVar;
      z.signNeg = v.signNeg != (k.hi <= 0 && k.lo < 0);
      return;
    }
  }
}

// The exact product of two computed values (no rounding yet); `square`:
// x and y are the same term.
ErrorBound productOf(const ErrorBound &x, const ErrorBound &y, bool square) {
  ErrorBound z;
  auto [lo, hi] = mulInterval(x.lo, x.hi, y.lo, y.hi);
  if (square) {
    double m = x.minAbs(), M = x.maxAbs();
    lo = mulDir(m, m, -1);
    hi = mulDir(M, M, 1);
  }
  z.lo = lo;
  z.hi = hi;
  double Mx = x.maxAbs(), My = y.maxAbs();
  // x^y^ - xy = x dy + y dx + dx dy.
  z.err = up(Mx * y.err + My * x.err + x.err * y.err);
  z.rel = up(x.rel + y.rel + x.rel * y.rel);
  z.abs = up(y.abs * Mx + x.abs * My + x.abs * y.abs + x.abs * y.rel * My +
             x.rel * y.abs * Mx);
  z.nonneg = square || (x.nonneg && y.nonneg);
  if (!square)
    productSign(z, x, y);
  settle(z);
  return z;
}

// The executor's i1 values are bit-vectors: a condition may read
// (= (ite c #b1 #b0) #b1). Returns c for that shape, else the condition.
Expr unwrap(const Expr &cond) {
  if (cond.op() != Op::Eq)
    return cond;
  std::vector<Expr> a = cond.args();
  if (a.size() != 2 || !a[0].isBV() || a[0].bvWidth() != 1)
    return cond;
  for (int i = 0; i < 2; ++i) {
    const Expr &t = a[i], &k = a[1 - i];
    if (t.op() == Op::Ite && k.asUInt()) {
      std::vector<Expr> ta = t.args();
      auto one = ta[1].asUInt(), zero = ta[2].asUInt();
      if (one && zero && *one == 1 && *zero == 0)
        return *k.asUInt() == 1 ? unwrap(ta[0]) : !unwrap(ta[0]);
    }
  }
  return cond;
}

std::optional<std::vector<Expr>> firstComparison(const Expr &cond);

// The two values an ite min/max pattern compares (minMax found them).
std::vector<Expr> comparedPair(const Expr &e) {
  return *firstComparison(e.args()[0]);
}

// A float constant (an fp numeral or the bits of one), finite or not.
std::optional<float> anyConstantOf(const Expr &e) {
  std::optional<uint32_t> bits = e.asFPBits();
  if (!bits) {
    if (e.op() != Op::FromBits)
      return std::nullopt;
    std::vector<Expr> a = e.args();
    if (a.size() == 1)
      if (auto v = a[0].asUInt())
        bits = static_cast<uint32_t>(*v);
  }
  if (!bits)
    return std::nullopt;
  float f;
  std::memcpy(&f, &*bits, 4);
  return f;
}

// A finite float constant.
std::optional<float> constantOf(const Expr &e) {
  std::optional<float> f = anyConstantOf(e);
  if (!f || !std::isfinite(*f))
    return std::nullopt;
  return f;
}

// A constant +-2^k: multiplying by it is exact unless the result is
// subnormal (k < 0) or overflows.
std::optional<int> powerOfTwo(const Expr &e) {
  std::optional<float> f = constantOf(e);
  if (!f || *f == 0)
    return std::nullopt;
  int ex;
  double m = std::frexp(std::fabs(static_cast<double>(*f)), &ex);
  if (m != 0.5)
    return std::nullopt;
  return ex - 1;
}

// The input variable a comparison side is, exactly: x, or x * 1.
std::optional<std::string> inputOf(const Expr &e) {
  if (e.op() == Op::FromBits) {
    std::vector<Expr> a = e.args();
    if (a.size() == 1 && a[0].isConstVar())
      return a[0].varName();
    return std::nullopt;
  }
  if (e.op() == Op::FMul) {
    std::vector<Expr> a = e.args();
    for (int i = 0; i < 2; ++i)
      if (auto c = constantOf(a[i]); c && *c == 1.0f)
        return inputOf(a[1 - i]);
  }
  return std::nullopt;
}

} // namespace

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
      fail("input " + name + " may be NaN, infinite or unbounded");
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

std::optional<ErrorBound> Rounding::boundPiecewise(const Expr &e) {
  std::vector<Expr> a = e.args();
  if (!exactCondition(a[0])) {
    fail("a branch on a computed value that is neither min nor max nor an "
         "exactly computed comparison");
    return std::nullopt;
  }
  // The condition is the same for the computed and the ideal values, so
  // the taken branch's bounds hold; each branch is bounded where it is
  // taken when the condition compares an input with a constant.
  Expr c = unwrap(a[0]);
  bool negated = false;
  while (c.op() == Op::Not) {
    c = unwrap(c.args()[0]);
    negated = !negated;
  }
  std::optional<std::string> var;
  double k = 0;
  bool varOnLeft = false;
  if (c.op() == Op::FLt || c.op() == Op::FLe) {
    std::vector<Expr> s = c.args();
    for (int i = 0; i < 2 && !var; ++i) {
      auto v = inputOf(s[i]);
      auto kc = constantOf(s[1 - i]);
      if (v && kc && box_(*v)) {
        var = v;
        k = *kc;
        varOnLeft = i == 0;
      }
    }
  }
  std::optional<ErrorBound> br[2];
  auto [then, other] = branches(e);
  for (int i = 0; i < 2; ++i) {
    const Expr &branch = i ? other : then;
    if (!var) {
      br[i] = boundOf(branch);
      if (!br[i])
        return std::nullopt;
      continue;
    }
    // Taken when the comparison is (i == 0) != negated: x below k (x <= k)
    // if the variable is on the left and the comparison holds.
    bool holds = (i == 0) != negated;
    bool below = varOnLeft == holds;
    Box nb = *box_(*var);
    if (below)
      nb.hi = std::min(nb.hi, k);
    else
      nb.lo = std::max(nb.lo, k);
    if (nb.lo > nb.hi)
      continue; // never taken
    auto parent = box_;
    std::string name = *var;
    Rounding sub(
        [parent, name, nb](const std::string &v) -> std::optional<Box> {
          if (v == name)
            return nb;
          return parent(v);
        });
    sub.prove_ = prove_;
    sub.intDomain_ = intDomain_;
    sub.opaque_ = opaque_;
    br[i] = sub.boundOf(branch);
    if (!br[i]) {
      fail(sub.why());
      return std::nullopt;
    }
  }
  if (!br[0] && !br[1]) {
    fail("a branch with no input taking either side");
    return std::nullopt;
  }
  if (!br[0] || !br[1])
    return br[0] ? br[0] : br[1];
  const ErrorBound &x = *br[0], &y = *br[1];
  ErrorBound z;
  z.lo = std::min(x.lo, y.lo);
  z.hi = std::max(x.hi, y.hi);
  z.err = std::max(x.err, y.err);
  z.abs = std::max(x.abs, y.abs);
  z.rel = std::max(x.rel, y.rel);
  z.nonneg = x.nonneg && y.nonneg;
  z.infAbove = std::min(x.infAbove, y.infAbove);
  if (x.signVar == y.signVar && x.signNeg == y.signNeg) {
    z.signVar = x.signVar;
    z.signNeg = x.signNeg;
  }
  return z;
}

const Rounding::CaseTable *Rounding::caseTable(const Expr &ite) {
  auto known = cases_.find(ite.id());
  if (known != cases_.end())
    return known->second.second ? &*known->second.second : nullptr;
  auto build = [&]() -> std::optional<CaseTable> {
    if (!intDomain_)
      return std::nullopt;
    std::vector<Expr> vs = ite.args()[0].vars();
    if (vs.size() != 1 || !vs[0].isBV())
      return std::nullopt;
    const Expr &v = vs[0];
    auto dom = intDomain_(v.varName());
    if (!dom || dom->second < dom->first ||
        static_cast<__int128>(dom->second) - dom->first >= kMaxCases)
      return std::nullopt;
    CaseTable t{v, {}, {}};
    unsigned steps = 0;
    for (int64_t val = dom->first; val <= dom->second; ++val) {
      Expr k = Expr::bvVal(static_cast<uint64_t>(val), v.bvWidth());
      // Follows the chain while its conditions read only v: each is then
      // a constant for this value (bit-vector arithmetic is exact, so the
      // computed and the ideal value take the same branch).
      Expr at = ite;
      while (at.op() == Op::Ite && !opaque_.count(at.id())) {
        std::vector<Expr> a = at.args();
        bool onlyV = true;
        for (const Expr &x : a[0].vars())
          onlyV = onlyV && x.same(v);
        if (!onlyV)
          break;
        std::optional<bool> taken =
            a[0].substitute({{v, k}}).simplify().asBool();
        if (!taken || ++steps > 65536)
          return std::nullopt;
        at = *taken ? a[1] : a[2];
      }
      t.vals.push_back(val);
      t.leaves.push_back(at);
    }
    return t;
  };
  auto &slot = cases_.emplace(ite.id(), std::make_pair(ite, build()))
                   .first->second.second;
  return slot ? &*slot : nullptr;
}

std::optional<ErrorBound> Rounding::boundCases(const CaseTable &t) {
  // For every input the variable takes one of the table's values, and the
  // computed and ideal values are both those of that value's leaf: the
  // hull of the leaves' bounds (each over the whole domain) holds.
  std::optional<ErrorBound> z;
  std::set<unsigned> seen;
  for (const Expr &leaf : t.leaves) {
    if (!seen.insert(leaf.id()).second)
      continue;
    auto b = boundOf(leaf);
    if (!b)
      return std::nullopt;
    if (!z) {
      z = b;
      continue;
    }
    z->lo = std::min(z->lo, b->lo);
    z->hi = std::max(z->hi, b->hi);
    z->err = std::max(z->err, b->err);
    z->abs = std::max(z->abs, b->abs);
    z->rel = std::max(z->rel, b->rel);
    z->nonneg = z->nonneg && b->nonneg;
    z->infAbove = std::min(z->infAbove, b->infAbove);
    if (z->signVar != b->signVar || z->signNeg != b->signNeg) {
      z->signVar = -1;
      z->signNeg = false;
    }
  }
  return z;
}

std::optional<Expr> Rounding::realCases(const CaseTable &t) {
  // ite(v == val_0, leaf_0, ite(v == val_1, leaf_1, ... leaf_last)) over
  // the domain's values in increasing order: the same shape for both
  // sides, whatever conditions selected the leaves (RealNormal reads it
  // as indicators). Outside the domain both sides take leaf_last, so the
  // real query needs no domain constraint for v.
  bool allSame = true;
  for (const Expr &leaf : t.leaves)
    allSame = allSame && leaf.same(t.leaves[0]);
  std::optional<Expr> r = toReal(t.leaves.back());
  if (!r || allSame)
    return r;
  for (size_t i = t.leaves.size() - 1; i-- > 0;) {
    auto x = toReal(t.leaves[i]);
    if (!x)
      return std::nullopt;
    Expr k = Expr::bvVal(static_cast<uint64_t>(t.vals[i]), t.var.bvWidth());
    r = Expr::ite(t.var.eq(k), *x, *r);
  }
  return r;
}

std::pair<Expr, Expr> Rounding::branches(const Expr &ite) {
  // A single comparison decides the nested tests of the same comparison
  // in each branch (paths merged as ite(c, a, ite(!c, b, stale)), say):
  // within the branch it is a constant.
  std::vector<Expr> a = ite.args();
  Expr c = unwrap(a[0]);
  bool negated = false;
  while (c.op() == Op::Not) {
    c = unwrap(c.args()[0]);
    negated = !negated;
  }
  if (c.op() != Op::FLt && c.op() != Op::FLe && c.op() != Op::FEq)
    return {a[1], a[2]};
  return {a[1].substitute({{c, Expr::boolVal(!negated)}}),
          a[2].substitute({{c, Expr::boolVal(negated)}})};
}

bool Rounding::exactCondition(const Expr &cond) {
  Expr c = unwrap(cond);
  if (decide(c))
    return true; // the same everywhere (no NaN, say)
  switch (c.op()) {
  case Op::True:
  case Op::False:
    return true;
  case Op::Not:
  case Op::And:
  case Op::Or:
    for (const Expr &x : c.args())
      if (!exactCondition(x))
        return false;
    return true;
  case Op::FLt:
  case Op::FLe:
  case Op::FEq: {
    std::string saved = why_;
    for (const Expr &x : c.args()) {
      auto b = boundOf(x);
      if (!b || b->err != 0 || b->abs != 0 || b->rel != 0 || b->mayBeInf()) {
        why_ = saved;
        return false;
      }
    }
    why_ = saved;
    return true;
  }
  default:
    return false;
  }
}

std::optional<Expr> Rounding::realCondition(const Expr &cond) {
  Expr c = unwrap(cond);
  if (auto d = decide(c))
    return Expr::boolVal(*d);
  std::vector<Expr> a = c.args();
  switch (c.op()) {
  case Op::True:
  case Op::False:
    return c;
  case Op::Not: {
    auto x = realCondition(a[0]);
    return x ? std::optional<Expr>(!*x) : std::nullopt;
  }
  case Op::And:
  case Op::Or: {
    std::vector<Expr> xs;
    for (const Expr &x : a) {
      auto r = realCondition(x);
      if (!r)
        return std::nullopt;
      xs.push_back(*r);
    }
    return c.op() == Op::And ? Expr::andAll(xs) : Expr::orAll(xs);
  }
  case Op::FLt:
  case Op::FLe:
  case Op::FEq: {
    auto x = toReal(a[0]), y = toReal(a[1]);
    if (!x || !y)
      return std::nullopt;
    // No NaN (bounded values): IEEE <, <=, == are the real ones (-0 == +0).
    return c.op() == Op::FLt   ? x->rlt(*y)
           : c.op() == Op::FLe ? x->rle(*y)
                               : x->eq(*y);
  }
  default:
    fail("a condition outside comparisons and not/and/or");
    return std::nullopt;
  }
}

std::optional<double> Rounding::ulps(const std::string &uf) {
  if (uf == "ieee.sqrt")
    return 0.5;
  static const std::map<std::string, double> cl = {
      {"exp", 3},  {"expm1", 3}, {"log", 3}, {"log1p", 2},
      {"tanh", 5}, {"erf", 16},  {"sqrt", 3}};
  static const std::map<std::string, double> ref = {{"exp", 2},  {"expm1", 2},
                                                    {"log", 2},  {"log1p", 2},
                                                    {"tanh", 2}, {"erf", 2}};
  bool isCl = uf.rfind("cl.", 0) == 0;
  const auto &table = isCl ? cl : ref;
  auto it = table.find(isCl ? uf.substr(3) : uf);
  if (it == table.end())
    return std::nullopt;
  return it->second;
}

std::string Rounding::realName(const std::string &uf) {
  if (uf == "ieee.sqrt")
    return "r.sqrt";
  return "r." + (uf.rfind("cl.", 0) == 0 ? uf.substr(3) : uf);
}

std::optional<bool> Rounding::decide(const Expr &cond) {
  Expr c = unwrap(cond);
  std::vector<Expr> a = c.args();
  switch (c.op()) {
  case Op::True:
    return true;
  case Op::False:
    return false;
  case Op::Not:
    if (auto d = decide(a[0]))
      return !*d;
    return std::nullopt;
  case Op::And: {
    bool all = true;
    for (const Expr &x : a) {
      auto d = decide(x);
      if (d && !*d)
        return false;
      all = all && d.has_value();
    }
    return all ? std::optional<bool>(true) : std::nullopt;
  }
  case Op::Or: {
    bool all = true;
    for (const Expr &x : a) {
      auto d = decide(x);
      if (d && *d)
        return true;
      all = all && d.has_value();
    }
    return all ? std::optional<bool>(false) : std::nullopt;
  }
  case Op::FIsNaN:
  case Op::FIsInf: {
    // A bounded value (finite inputs, no overflow) is neither.
    std::string saved = why_;
    auto b = boundOf(a[0]);
    why_ = saved;
    return b && !b->mayBeInf() ? std::optional<bool>(false) : std::nullopt;
  }
  case Op::FLt:
  case Op::FLe: {
    std::string saved = why_;
    // A finite value against an infinite constant.
    for (int i = 0; i < 2; ++i) {
      std::optional<float> k = anyConstantOf(a[i]);
      if (!k || !std::isinf(*k))
        continue;
      auto other = boundOf(a[1 - i]);
      why_ = saved;
      if (!other || other->mayBeInf())
        return std::nullopt;
      // i == 0: inf < y / inf <= y; i == 1: y < inf / y <= inf.
      bool kBelow = *k < 0;
      return i == 0 ? kBelow : !kBelow;
    }
    auto x = boundOf(a[0]), y = boundOf(a[1]);
    why_ = saved;
    if (!x || !y || x->mayBeInf() || y->mayBeInf())
      return std::nullopt;
    if (x->hi + x->err < y->lo - y->err)
      return true;
    if (x->lo - x->err > y->hi + y->err)
      return false;
    return std::nullopt;
  }
  default:
    return std::nullopt;
  }
}

namespace {

// A condition's value when p > q (pGreater) or p < q, if it follows from
// that order alone (comparisons of p and q, combined by not/and/or).
std::optional<bool> underOrder(const Expr &cond, const Expr &p, const Expr &q,
                               bool pGreater) {
  Expr c = unwrap(cond);
  std::vector<Expr> a = c.args();
  switch (c.op()) {
  case Op::Not: {
    auto v = underOrder(a[0], p, q, pGreater);
    return v ? std::optional<bool>(!*v) : std::nullopt;
  }
  case Op::And:
  case Op::Or: {
    bool isAnd = c.op() == Op::And, all = true;
    for (const Expr &x : a) {
      auto v = underOrder(x, p, q, pGreater);
      if (v && *v != isAnd)
        return !isAnd; // a false conjunct / a true disjunct decides
      all = all && v.has_value();
    }
    return all ? std::optional<bool>(isAnd) : std::nullopt;
  }
  case Op::FLt:
  case Op::FLe:
  case Op::FEq: {
    bool pq = a[0].same(p) && a[1].same(q), qp = a[0].same(q) && a[1].same(p);
    if (!pq && !qp)
      return std::nullopt;
    if (c.op() == Op::FEq)
      return false; // strict order: never equal
    bool lhsGreater = pq ? pGreater : !pGreater;
    return !lhsGreater;
  }
  default:
    return std::nullopt;
  }
}

// The value (p or q) a chain of ites selects when p > q (pGreater) or
// p < q; nullopt if it depends on anything else.
std::optional<bool> selectsP(const Expr &t, const Expr &p, const Expr &q,
                             bool pGreater) {
  if (t.same(p))
    return true;
  if (t.same(q))
    return false;
  if (t.op() != Op::Ite)
    return std::nullopt;
  std::vector<Expr> a = t.args();
  if (auto cv = underOrder(a[0], p, q, pGreater))
    return selectsP(*cv ? a[1] : a[2], p, q, pGreater);
  // Anything else (an implementation-defined choice for ties, say): both
  // branches must agree.
  auto x = selectsP(a[1], p, q, pGreater), y = selectsP(a[2], p, q, pGreater);
  if (x && y && *x == *y)
    return x;
  return std::nullopt;
}

// The first comparison of two floats inside a condition.
std::optional<std::vector<Expr>> firstComparison(const Expr &cond) {
  Expr c = unwrap(cond);
  if (c.op() == Op::FLt || c.op() == Op::FLe)
    return c.args();
  if (c.op() == Op::Not || c.op() == Op::And || c.op() == Op::Or)
    for (const Expr &x : c.args())
      if (auto r = firstComparison(x))
        return r;
  return std::nullopt;
}

} // namespace

int Rounding::minMax(const Expr &e) {
  // The two values compared by the outermost condition.
  auto pq = firstComparison(e.args()[0]);
  if (!pq)
    return 0;
  Expr p = (*pq)[0], q = (*pq)[1];
  // Ties select p or q, which are then equal: only the strict orders count.
  auto whenGreater = selectsP(e, p, q, true),
       whenLess = selectsP(e, p, q, false);
  if (!whenGreater || !whenLess)
    return 0;
  if (*whenGreater && !*whenLess)
    return 1; // max(p, q)
  if (!*whenGreater && *whenLess)
    return -1; // min(p, q)
  return 0;
}

Expr Rounding::functionFacts() const { return Expr::andAll(facts_); }

void Rounding::collectLeaves(const Expr &t, int kind, std::vector<Expr> &out) {
  // A shared subterm is a leaf (its value is the computed one).
  if (t.op() == Op::Ite && !opaque_.count(t.id())) {
    std::vector<Expr> a = t.args();
    if (auto d = decide(a[0]))
      return collectLeaves(*d ? a[1] : a[2], kind, out);
    if (minMax(t) == kind) {
      std::vector<Expr> pq = comparedPair(t);
      collectLeaves(pq[0], kind, out);
      collectLeaves(pq[1], kind, out);
      return;
    }
  }
  for (const Expr &o : out)
    if (o.same(t))
      return;
  out.push_back(t);
}

bool Rounding::isMaxOperand(const Expr &m, const Expr &a) {
  if (m.same(a))
    return true;
  if (m.op() != Op::Ite || opaque_.count(m.id()))
    return false;
  std::vector<Expr> args = m.args();
  if (auto d = decide(args[0]))
    return isMaxOperand(*d ? args[1] : args[2], a);
  if (minMax(m) <= 0)
    return false;
  std::vector<Expr> pq = comparedPair(m);
  return isMaxOperand(pq[0], a) || isMaxOperand(pq[1], a);
}

double Rounding::divisorLowerBound(const Expr &divisor, const ErrorBound &b) {
  double bmin = b.minAbs();
  // Good enough: the divisor's relative error Ay/beta + Ry is small.
  auto good = [&](double beta) {
    return beta > 0 && up(b.abs / beta + b.rel) <= 0x1p-10;
  };
  if (good(bmin) || !prove_ || b.lo < 0 || b.mayBeInf())
    return bmin;
  std::string saved = why_;
  std::optional<Expr> r = toReal(divisor);
  why_ = saved;
  if (!r)
    return bmin;
  // 1 first (a softmax denominator, the argument of log_softmax's log).
  for (double beta : {1.0, b.hi / 16, b.hi / 1024, 1024 * b.abs}) {
    if (!(beta > bmin) || beta > b.hi || !good(beta))
      continue;
    if (prove_(*r, beta))
      return beta;
  }
  return bmin;
}

Expr Rounding::realDomain() const {
  std::vector<Expr> cs;
  for (auto &[name, b] : realVars_) {
    Expr v = Expr::realVar(name);
    cs.push_back(Expr::realFromDouble(b.lo).rle(v) &&
                 v.rle(Expr::realFromDouble(b.hi)));
  }
  return Expr::andAll(cs);
}

std::vector<Expr> Rounding::commonSubterms(const Expr &c, const Expr &f) {
  // Every subterm of f, then c top-down: a compound float subterm of c that
  // f has too is taken whole (its own subterms are then not looked at).
  std::set<unsigned> inF;
  std::vector<Expr> keep, stack{f};
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!inF.insert(t.id()).second)
      continue;
    keep.push_back(t);
    for (const Expr &a : t.args())
      stack.push_back(a);
  }
  std::vector<Expr> out;
  std::set<unsigned> seen;
  stack = {c};
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!seen.insert(t.id()).second)
      continue;
    keep.push_back(t);
    std::vector<Expr> a = t.args();
    bool leaf = a.empty() || t.op() == Op::FromBits || t.op() == Op::FPNum;
    if (!t.same(c) && t.isFP() && !leaf && inF.count(t.id())) {
      out.push_back(t);
      continue;
    }
    for (const Expr &x : a)
      stack.push_back(x);
  }
  return out;
}

double Rounding::toleranceSlack(const ErrorBound &c, const ErrorBound &f,
                                double atol, double rtol) {
  // With |c^ - yc| <= Ac + Rc|yc|, |f^ - y| <= Af + Rf|y|, |yc - y| <= s
  // and t = |y|: |c^ - f^| <= Ac + Rc(t + s) + s + Af + Rf t, and
  // |f^| >= t - Af - Rf t. So s is allowed where
  //   h(t) = (atol - rtol Af - Ac - Af + t (rtol - rtol Rf - Rc - Rf))
  //          / (1 + Rc) >= s
  // for every t in [minAbs, maxAbs] of the reference, with either form
  // (abs, rel) or (err, 0) of each side: s = min over t of the largest h.
  struct Line {
    double a, b; // h(t) = a + b t
  };
  std::vector<Line> lines;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      double Ac = i ? c.err : c.abs, Rc = i ? 0 : c.rel;
      double Af = j ? f.err : f.abs, Rf = j ? 0 : f.rel;
      lines.push_back({(atol - rtol * Af - Ac - Af) / (1 + Rc),
                       (rtol - rtol * Rf - Rc - Rf) / (1 + Rc)});
    }
  double m = f.minAbs(), M = f.maxAbs();
  std::vector<double> ts{m, M};
  for (size_t i = 0; i < lines.size(); ++i)
    for (size_t j = i + 1; j < lines.size(); ++j) {
      double db = lines[i].b - lines[j].b;
      if (db == 0)
        continue;
      double t = (lines[j].a - lines[i].a) / db;
      if (t > m && t < M)
        ts.push_back(t);
    }
  double s = std::numeric_limits<double>::infinity();
  for (double t : ts) {
    double best = -std::numeric_limits<double>::infinity();
    for (const Line &l : lines)
      best = std::max(best, l.a + l.b * t);
    s = std::min(s, best);
  }
  // The doubles above are within a few ulps of every magnitude involved.
  double scale = atol + rtol * M + c.err + f.err + c.abs + f.abs +
                 (c.rel + f.rel + rtol) * M;
  return s - scale * 0x1p-40 - 0x1p-1000;
}

} // namespace ksynth::verify
