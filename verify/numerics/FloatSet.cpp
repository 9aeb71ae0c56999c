// The value sets of the interval evaluator (IntervalEval.h): FloatSet
// (float intervals with NaN, infinities and signed zeros tracked), IVal,
// the IEEE operations on sets, ulp-bounded functions and divisions, and
// the tolerance check on two sets.
#include "verify/numerics/IntervalEval.h"

#include "support/Float.h"
#include "verify/core/VarNames.h"
#include "verify/numerics/Rounding.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ksynth::verify {

using smt::Expr;
using Op = smt::Expr::Op;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr double kMinNormal = 1.1754943508222875e-38; // 2^-126

bool lessTot(float a, float b) { return floatKey(a) < floatKey(b); }
float minTot(float a, float b) { return lessTot(b, a) ? b : a; }
float maxTot(float a, float b) { return lessTot(a, b) ? b : a; }

// Adds one value (NaN included) to a set.
void add(FloatSet &s, float v) {
  if (std::isnan(v)) {
    s.nan = true;
    return;
  }
  if (!s.hasNum) {
    s.hasNum = true;
    s.lo = s.hi = v;
    return;
  }
  s.lo = minTot(s.lo, v);
  s.hi = maxTot(s.hi, v);
}

// Both zeros, when a non-single set reaches zero (which zero an operation
// returns then depends on the operands).
void bothZeros(FloatSet &s) {
  if (!s.hasNum)
    return;
  if (s.lo <= 0 && s.hi >= 0) { // numerically (-0 == +0)
    s.lo = minTot(s.lo, -0.0f);
    s.hi = maxTot(s.hi, 0.0f);
  }
}

// Representatives of a finite interval [a, b]: its ends and the zeros it
// holds (every sign class of its members).
std::vector<float> reps(float a, float b) {
  std::vector<float> r{a};
  if (floatKey(b) != floatKey(a))
    r.push_back(b);
  for (float z : {-0.0f, 0.0f})
    if (floatKey(a) <= floatKey(z) && floatKey(z) <= floatKey(b) &&
        floatKey(z) != floatKey(a) && floatKey(z) != floatKey(b))
      r.push_back(z);
  return r;
}

// The non-NaN part of a set as pieces: -inf, a finite interval, +inf.
struct Pieces {
  bool negInf = false, posInf = false, fin = false;
  float a = 0, b = 0;
};
Pieces piecesOf(const FloatSet &s) {
  Pieces p;
  if (!s.hasNum)
    return p;
  p.negInf = s.lo == -kInf;
  p.posInf = s.hi == kInf;
  float a = s.lo == -kInf ? -FLT_MAX : s.lo;
  float b = s.hi == kInf ? FLT_MAX : s.hi;
  if (!(s.lo == -kInf && s.hi == -kInf) && !(s.lo == kInf && s.hi == kInf) &&
      floatKey(a) <= floatKey(b)) {
    p.fin = true;
    p.a = a;
    p.b = b;
  }
  return p;
}

// A binary operation on sets: `fin` for two finite intervals, IEEE on
// representatives where an infinity is involved (the result then depends
// only on the sign class of the finite operand).
template <class Point, class Fin>
FloatSet binary(const FloatSet &x, const FloatSet &y, Point pt, Fin fin) {
  FloatSet out;
  out.nan = x.nan || y.nan;
  Pieces px = piecesOf(x), py = piecesOf(y);
  auto repsOf = [](const Pieces &p, bool finite) {
    std::vector<float> r;
    if (finite) {
      if (p.fin)
        r = reps(p.a, p.b);
    } else {
      if (p.negInf)
        r.push_back(-kInf);
      if (p.posInf)
        r.push_back(kInf);
    }
    return r;
  };
  if (px.fin && py.fin)
    out = out.join(fin(px.a, px.b, py.a, py.b));
  for (int fx = 0; fx < 2; ++fx)
    for (int fy = 0; fy < 2; ++fy) {
      if (fx && fy)
        continue; // both finite: done above
      for (float u : repsOf(px, fx != 0))
        for (float v : repsOf(py, fy != 0))
          add(out, pt(u, v));
    }
  return out;
}

// The hull of an exact operation on the corners (and zeros) of two finite
// intervals; sound for + - * (monotone or bilinear) and for / (monotone in
// each operand on each sign side of the divisor).
template <class Point>
FloatSet corners(float a1, float b1, float a2, float b2, Point pt) {
  FloatSet out;
  for (float u : reps(a1, b1))
    for (float v : reps(a2, b2))
      add(out, pt(u, v));
  bool single = floatKey(a1) == floatKey(b1) && floatKey(a2) == floatKey(b2);
  if (!single)
    bothZeros(out);
  return out;
}

// The spacing of float32 values at magnitude |v| (that of the binade
// above where v is near a power of two: never too small).
double ulp32(double v) {
  double m = std::fabs(v) * (1 + 0x1p-20);
  if (m < kMinNormal)
    return 0x1p-149;
  int e;
  std::frexp(m, &e); // m = f * 2^e, f in [0.5, 1)
  e = std::min(e, 128);
  return std::ldexp(1.0, e - 1 - 23);
}

// The largest float32 <= w (-inf below -FLT_MAX, +inf above FLT_MAX: an
// exact value beyond FLT_MAX by more than the allowance leaves only
// overflow).
float floatDown(double w) {
  if (std::isnan(w))
    return -kInf;
  if (w > FLT_MAX)
    return kInf;
  if (w < -static_cast<double>(FLT_MAX))
    return -kInf;
  float f = static_cast<float>(w);
  if (static_cast<double>(f) > w)
    f = std::nextafter(f, -kInf);
  return f;
}
float floatUp(double w) {
  if (std::isnan(w))
    return kInf;
  if (w > FLT_MAX)
    return kInf;
  if (w < -static_cast<double>(FLT_MAX))
    return -kInf;
  float f = static_cast<float>(w);
  if (static_cast<double>(f) < w)
    f = std::nextafter(f, kInf);
  return f;
}

// Relative slack for the host's double-precision libm (a few ulp of
// double) and for the double arithmetic here.
constexpr double kSlack = 0x1p-40;

} // namespace

int64_t floatKey(float f) {
  uint32_t b = floatBits(f);
  int64_t mag = static_cast<int64_t>(b & 0x7fffffffu);
  return (b >> 31) ? -mag - 1 : mag;
}

FloatSet FloatSet::point(float f) {
  FloatSet s;
  add(s, f);
  return s;
}
FloatSet FloatSet::range(float lo, float hi) {
  FloatSet s;
  s.hasNum = true;
  s.lo = lo;
  s.hi = hi;
  return s;
}
FloatSet FloatSet::any() {
  FloatSet s = range(-kInf, kInf);
  s.nan = true;
  return s;
}
FloatSet FloatSet::nanOnly() {
  FloatSet s;
  s.nan = true;
  return s;
}
bool FloatSet::single() const {
  if (nan)
    return !hasNum;
  return hasNum && floatKey(lo) == floatKey(hi);
}
bool FloatSet::contains(float f) const {
  if (std::isnan(f))
    return nan;
  return hasNum && floatKey(lo) <= floatKey(f) && floatKey(f) <= floatKey(hi);
}
bool FloatSet::mayBeFinite() const {
  return hasNum && !(hi == -kInf) && !(lo == kInf);
}
bool FloatSet::mayBeInf() const {
  return hasNum && (lo == -kInf || hi == kInf);
}
FloatSet FloatSet::join(const FloatSet &o) const {
  FloatSet s = *this;
  s.nan = s.nan || o.nan;
  if (o.hasNum) {
    add(s, o.lo);
    add(s, o.hi);
  }
  return s;
}
std::string FloatSet::str() const {
  auto fmt = [](float f) { return formatFloat(f); };
  std::string s;
  if (hasNum)
    s = single() ? fmt(lo) : "[" + fmt(lo) + ", " + fmt(hi) + "]";
  if (nan)
    s += s.empty() ? "NaN" : " or NaN";
  return s.empty() ? "(no value)" : s;
}

IVal IVal::boolean(bool t, bool f) {
  IVal v;
  v.sort = Sort::Bool;
  v.mayTrue = t;
  v.mayFalse = f;
  return v;
}
IVal IVal::bv(std::optional<uint64_t> bits, unsigned width) {
  IVal v;
  v.sort = Sort::BV;
  v.width = width;
  if (bits && width < 64)
    *bits &= (uint64_t{1} << width) - 1;
  v.bits = bits;
  return v;
}
IVal IVal::fp(FloatSet f) {
  IVal v;
  v.sort = Sort::FP;
  v.f = f;
  return v;
}
IVal IVal::top(const Expr &e) {
  if (e.isBool())
    return boolean(true, true);
  if (e.isBV())
    return bv(std::nullopt, e.bvWidth());
  if (e.isFP())
    return fp(FloatSet::any());
  return IVal{};
}
bool IVal::known() const {
  switch (sort) {
  case Sort::Bool:
    return mayTrue != mayFalse;
  case Sort::BV:
    return bits.has_value();
  case Sort::FP:
    return f.single();
  default:
    return false;
  }
}

FloatSet widenUlps(double vlo, double vhi, double ulps) {
  FloatSet out;
  if (std::isnan(vlo) || std::isnan(vhi))
    return FloatSet::any();
  float lo = std::isinf(vlo)
                 ? static_cast<float>(vlo)
                 : floatDown(vlo - ulps * ulp32(vlo) - std::fabs(vlo) * kSlack);
  float hi = std::isinf(vhi)
                 ? static_cast<float>(vhi)
                 : floatUp(vhi + ulps * ulp32(vhi) + std::fabs(vhi) * kSlack);
  out.hasNum = true;
  out.lo = lo;
  out.hi = hi;
  // A result that may be subnormal may be flushed to zero.
  if (lo < kMinNormal && hi > -kMinNormal) {
    out.lo = minTot(out.lo, -0.0f);
    out.hi = maxTot(out.hi, 0.0f);
  }
  return out;
}

std::optional<FloatSet> approxFunction(const std::string &uf,
                                       const FloatSet &arg) {
  std::optional<double> u = Rounding::ulps(uf);
  std::string fn = uf.rfind("cl.", 0) == 0 ? uf.substr(3) : uf;
  if (!u)
    return std::nullopt;
  double (*f)(double) = nullptr;
  float dmin = -kInf; // smallest argument in the domain (total order)
  if (fn == "exp")
    f = [](double x) { return std::exp(x); };
  else if (fn == "expm1")
    f = [](double x) { return std::expm1(x); };
  else if (fn == "log") {
    f = [](double x) { return std::log(x); };
    dmin = -0.0f;
  } else if (fn == "log1p") {
    f = [](double x) { return std::log1p(x); };
    dmin = -1.0f;
  } else if (fn == "tanh")
    f = [](double x) { return std::tanh(x); };
  else if (fn == "erf")
    f = [](double x) { return std::erf(x); };
  else if (fn == "sqrt") {
    f = [](double x) { return std::sqrt(x); };
    dmin = -0.0f;
  } else
    return std::nullopt;
  FloatSet out;
  out.nan = arg.nan;
  if (!arg.hasNum)
    return out;
  if (lessTot(arg.lo, dmin))
    out.nan = true; // below the domain: NaN
  if (lessTot(arg.hi, dmin))
    return out;
  float a = maxTot(arg.lo, dmin), b = arg.hi;
  // All of these functions are non-decreasing on their domain.
  double va = f(static_cast<double>(a)), vb = f(static_cast<double>(b));
  if (fn == "sqrt" && a == 0 && std::signbit(a))
    va = -0.0;
  out = out.join(widenUlps(va, vb, *u));
  return out;
}

FloatSet approxDiv(const FloatSet &a, const FloatSet &b, double ulps) {
  auto ieee = [](float u, float v) { return u / v; };
  return binary(a, b, ieee, [&](float a1, float b1, float a2, float b2) {
    FloatSet out;
    double qlo = std::numeric_limits<double>::infinity(), qhi = -qlo;
    bool any = false;
    for (float u : reps(a1, b1))
      for (float v : reps(a2, b2)) {
        if (v == 0) { // IEEE: x/0 is +-inf or NaN
          add(out, u / v);
          continue;
        }
        double q = static_cast<double>(u) / static_cast<double>(v);
        qlo = std::min(qlo, q);
        qhi = std::max(qhi, q);
        any = true;
      }
    if (any)
      out = out.join(widenUlps(qlo, qhi, ulps));
    bothZeros(out);
    return out;
  });
}

FloatSet setAdd(const FloatSet &a, const FloatSet &b) {
  auto pt = [](float u, float v) { return u + v; };
  return binary(a, b, pt, [&](float a1, float b1, float a2, float b2) {
    return corners(a1, b1, a2, b2, pt);
  });
}
FloatSet setSub(const FloatSet &a, const FloatSet &b) {
  auto pt = [](float u, float v) { return u - v; };
  return binary(a, b, pt, [&](float a1, float b1, float a2, float b2) {
    return corners(a1, b1, a2, b2, pt);
  });
}
FloatSet setMul(const FloatSet &a, const FloatSet &b) {
  auto pt = [](float u, float v) { return u * v; };
  return binary(a, b, pt, [&](float a1, float b1, float a2, float b2) {
    return corners(a1, b1, a2, b2, pt);
  });
}
FloatSet setDiv(const FloatSet &a, const FloatSet &b) {
  auto pt = [](float u, float v) { return u / v; };
  return binary(a, b, pt, [&](float a1, float b1, float a2, float b2) {
    return corners(a1, b1, a2, b2, pt);
  });
}

FloatSet setFma(const FloatSet &a, const FloatSet &b, const FloatSet &c) {
  if (a.single() && b.single() && c.single())
    return FloatSet::point(
        std::fma(a.nan ? NAN : a.lo, b.nan ? NAN : b.lo, c.nan ? NAN : c.lo));
  FloatSet out;
  out.nan = a.nan || b.nan || c.nan;
  Pieces pa = piecesOf(a), pb = piecesOf(b), pc = piecesOf(c);
  if (a.mayBeInf() || b.mayBeInf() || c.mayBeInf()) {
    // Any infinite operand gives an infinity or NaN.
    out = out.join(FloatSet::range(-kInf, -kInf))
              .join(FloatSet::range(kInf, kInf));
    out.nan = true;
  }
  if (pa.fin && pb.fin && pc.fin) {
    // a*b is exact in double: its extremes over the box are at corners,
    // and fma rounds a*b+c monotonically.
    float minA = 0, minB = 0, maxA = 0, maxB = 0;
    double pmin = std::numeric_limits<double>::infinity(), pmax = -pmin;
    for (float u : reps(pa.a, pa.b))
      for (float v : reps(pb.a, pb.b)) {
        double p = static_cast<double>(u) * static_cast<double>(v);
        if (p < pmin) {
          pmin = p;
          minA = u;
          minB = v;
        }
        if (p > pmax) {
          pmax = p;
          maxA = u;
          maxB = v;
        }
      }
    add(out, std::fma(minA, minB, pc.a));
    add(out, std::fma(maxA, maxB, pc.b));
    bothZeros(out);
  }
  return out;
}

FloatSet setSqrt(const FloatSet &a) {
  FloatSet out;
  out.nan = a.nan;
  if (!a.hasNum)
    return out;
  if (lessTot(a.lo, -0.0f))
    out.nan = true;
  if (lessTot(a.hi, -0.0f))
    return out;
  float lo = maxTot(a.lo, -0.0f);
  add(out, std::sqrt(lo));
  add(out, std::sqrt(a.hi));
  return out;
}

FloatSet setNeg(const FloatSet &a) {
  FloatSet out = a;
  if (a.hasNum) {
    out.lo = -a.hi;
    out.hi = -a.lo;
  }
  return out;
}

FloatSet setAbs(const FloatSet &a) {
  FloatSet out;
  out.nan = a.nan;
  if (!a.hasNum)
    return out;
  add(out, std::fabs(a.lo));
  add(out, std::fabs(a.hi));
  if (floatKey(a.lo) < 0 && floatKey(a.hi) >= 0)
    add(out, 0.0f);
  return out;
}

bool mayMatch(const spec::Tolerance &tol, const FloatSet &cand,
              const FloatSet &ref, double mag) {
  if (cand.nan && ref.nan)
    return true;
  if (!cand.hasNum || !ref.hasNum)
    return false;
  // Identical values (infinities match only so).
  auto overlapTot = [](const FloatSet &x, const FloatSet &y) {
    return floatKey(x.lo) <= floatKey(y.hi) && floatKey(y.lo) <= floatKey(x.hi);
  };
  if (overlapTot(cand, ref))
    return true;
  if (tol.ignoreZeroSign) {
    bool cz = cand.contains(0.0f) || cand.contains(-0.0f);
    bool rz = ref.contains(0.0f) || ref.contains(-0.0f);
    if (cz && rz)
      return true;
  }
  if (tol.bitExact())
    return false;
  // Finite parts: c within atol + rtol*|r| of some finite r.
  if (!cand.mayBeFinite() || !ref.mayBeFinite())
    return false;
  double clo = std::max<double>(cand.lo, -FLT_MAX),
         chi = std::min<double>(cand.hi, FLT_MAX);
  double rlo = std::max<double>(ref.lo, -FLT_MAX),
         rhi = std::min<double>(ref.hi, FLT_MAX);
  if (tol.sumForm() && std::isnan(mag))
    return true; // unknown magnitudes: a match is not ruled out
  double wlo = tol.sumForm() ? rlo - tol.atol - tol.sumRtol * mag
                             : rlo - tol.atol - tol.rtol * std::fabs(rlo);
  double whi = tol.sumForm() ? rhi + tol.atol + tol.sumRtol * mag
                             : rhi + tol.atol + tol.rtol * std::fabs(rhi);
  // Margin for the double arithmetic above (the comparison is exact real
  // arithmetic in the solver's formula).
  double m = 1e-9 * (std::fabs(wlo) + std::fabs(whi)) + 1e-300;
  return clo <= whi + m && chi >= wlo - m;
}

} // namespace ksynth::verify
