// The arithmetic of the rounding level's error bounds (verify/ internals,
// shared by Rounding.cpp and RoundingCases.cpp): constants of binary32,
// directed interval arithmetic on doubles, the propagation of ErrorBound
// through sums and products, and term helpers. The rules and their
// argument: docs/rounding-level.md.
#pragma once

#include "verify/numerics/Rounding.h"

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ksynth::verify::rounding {

using smt::Expr;
using Op = Expr::Op;

inline constexpr double kU = 0x1p-24;    // unit roundoff of binary32, nearest
inline constexpr double kEta = 0x1p-150; // half the smallest subnormal spacing
inline constexpr double kSlack =
    1 + 0x1p-40; // covers rounding in this analysis
inline constexpr double kInf = std::numeric_limits<double>::infinity();
// k ulps of a result y: k*ulp(y) <= k*(2^-23|y| + 2^-149), with a factor
// that also covers ulp taken at the returned value instead of y.
inline constexpr double kUlpRel = 0x1p-23 * (1 + 0x1p-18);
inline constexpr double kUlpAbs = 0x1p-149 * (1 + 0x1p-18);
// A k-ulp function or division may flush a subnormal result to zero
// (OpenCL devices without denormal support): |error| < 2^-126 more.
inline constexpr double kFlush = 0x1p-126;
// The largest finite float (as a double) and a threshold below which no
// rounding, correctly rounded or within a few ulps, can overflow.
inline constexpr double kFltMax = static_cast<double>(FLT_MAX);
inline constexpr double kNoOverflow =
    static_cast<double>(FLT_MAX) * (1 - 0x1p-20);

// Rounds a non-negative error quantity up (a few double operations); an
// exact 0 (no error at all) stays 0.
inline double up(double x) { return x == 0 ? 0 : x * kSlack + 0x1p-1000; }

// ---- directed interval arithmetic on doubles: exact results stay exact
// (0 stays 0, so signs survive), inexact ones move one double outward.
inline double nudge(double v, int dir) {
  return std::nextafter(v, dir > 0 ? kInf : -kInf);
}
inline double tinyOutward(double v, int dir) {
  return dir > 0 ? std::max(v, 0.0) + 0x1p-900 : std::min(v, 0.0) - 0x1p-900;
}
inline double addDir(double a, double b, int dir) {
  double s = a + b;
  if (!std::isfinite(s))
    return s;
  double bb = s - a, e = (a - (s - bb)) + (b - bb); // TwoSum: a + b - s
  return (dir > 0 && e > 0) || (dir < 0 && e < 0) ? nudge(s, dir) : s;
}
inline double mulDir(double a, double b, int dir) {
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
inline double divDir(double a, double b, int dir) {
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
inline double fnDown(double v) {
  return v - std::fabs(v) * 0x1p-40 - (v == 0 ? 0 : 0x1p-1000);
}
inline double fnUp(double v) { return v + std::fabs(v) * 0x1p-40 + 0x1p-1000; }

// The interval of the products of [a, b] and [c, d], outward.
inline std::pair<double, double> mulInterval(double a, double b, double c,
                                             double d) {
  double lo = std::min(
      {mulDir(a, c, -1), mulDir(a, d, -1), mulDir(b, c, -1), mulDir(b, d, -1)});
  double hi = std::max(
      {mulDir(a, c, 1), mulDir(a, d, 1), mulDir(b, c, 1), mulDir(b, d, 1)});
  return {lo, hi};
}

// ulp(v) for every |v| <= V: 2^(floor(log2 V) - 23), at least 2^-149.
inline double ulpCap(double V) {
  if (!(V > 0))
    return 0x1p-149;
  int e;
  std::frexp(V, &e); // V = f * 2^e, f in [0.5, 1): floor(log2 V) = e - 1
  return std::max(std::ldexp(1.0, e - 1 - 23), 0x1p-149);
}

// Keeps err <= abs + rel*M (both are bounds; err is the tighter one).
inline void settle(ErrorBound &b) {
  b.err = std::min(b.err, up(b.abs + b.rel * b.maxAbs()));
}

inline bool sameSign(const ErrorBound &x, const ErrorBound &y) {
  if ((x.lo >= 0 && y.lo >= 0) || (x.hi <= 0 && y.hi <= 0))
    return true;
  return x.signVar >= 0 && x.signVar == y.signVar && x.signNeg == y.signNeg;
}

// The exact sum of two computed values (no rounding yet).
inline ErrorBound sumOf(const ErrorBound &x, const ErrorBound &y) {
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

inline ErrorBound negOf(ErrorBound x) {
  std::swap(x.lo, x.hi);
  x.lo = -x.lo;
  x.hi = -x.hi;
  x.nonneg = false;
  x.signNeg = !x.signNeg;
  return x;
}

// The sign class of a product whose other factor has a known sign.
inline void productSign(ErrorBound &z, const ErrorBound &x,
                        const ErrorBound &y) {
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
inline ErrorBound productOf(const ErrorBound &x, const ErrorBound &y,
                            bool square) {
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
inline Expr unwrap(const Expr &cond) {
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

// The first comparison of two floats inside a condition.
inline std::optional<std::vector<Expr>> firstComparison(const Expr &cond) {
  Expr c = unwrap(cond);
  if (c.op() == Op::FLt || c.op() == Op::FLe)
    return c.args();
  if (c.op() == Op::Not || c.op() == Op::And || c.op() == Op::Or)
    for (const Expr &x : c.args())
      if (auto r = firstComparison(x))
        return r;
  return std::nullopt;
}

// The two values an ite min/max pattern compares (minMax found them).
inline std::vector<Expr> comparedPair(const Expr &e) {
  return *firstComparison(e.args()[0]);
}

// A float constant (an fp numeral or the bits of one), finite or not.
inline std::optional<float> anyConstantOf(const Expr &e) {
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
inline std::optional<float> constantOf(const Expr &e) {
  std::optional<float> f = anyConstantOf(e);
  if (!f || !std::isfinite(*f))
    return std::nullopt;
  return f;
}

// A constant +-2^k: multiplying by it is exact unless the result is
// subnormal (k < 0) or overflows.
inline std::optional<int> powerOfTwo(const Expr &e) {
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
inline std::optional<std::string> inputOf(const Expr &e) {
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

} // namespace ksynth::verify::rounding
