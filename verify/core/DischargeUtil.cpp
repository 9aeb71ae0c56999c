#include "verify/core/DischargeUtil.h"

#include "support/Float.h"
#include "verify/core/VarNames.h"

#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace ksynth::verify {

using smt::Expr;

// Whether a term applies an uninterpreted function.
bool hasFunctions(const Expr &e) {
  std::vector<Expr> stack{e}, keep;
  std::set<unsigned> seen;
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!seen.insert(t.id()).second)
      continue;
    keep.push_back(t);
    if (t.op() == Expr::Op::UF)
      return true;
    for (const Expr &a : t.args())
      stack.push_back(a);
  }
  return false;
}

// Whether a term involves an operation OpenCL lets be inexact: an
// "approx#" value or a candidate builtin modelled as a function ("cl.exp").
bool dependsOnApproximation(const Expr &e) {
  if (var::mentionsChoice(e, Choice::Approx))
    return true;
  std::vector<Expr> stack{e};
  std::set<unsigned> seen;
  std::vector<Expr> keep; // holds visited terms so their ids stay unique
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!seen.insert(t.id()).second)
      continue;
    keep.push_back(t);
    if (t.op() == Expr::Op::UF && t.ufName().rfind("cl.", 0) == 0)
      return true;
    for (const Expr &a : t.args())
      stack.push_back(a);
  }
  return false;
}

float lowBound(double lo) {
  float f = static_cast<float>(lo);
  if (static_cast<double>(f) < lo)
    f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}
float highBound(double hi) {
  float f = static_cast<float>(hi);
  if (static_cast<double>(f) > hi)
    f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

// Alive2's trick: readable values first.
const float kPreferred[13] = {0.0f, 1.0f,  -1.0f, 2.0f,   -2.0f,  0.5f,   -0.5f,
                              3.0f, -3.0f, 10.0f, -10.0f, 100.0f, -100.0f};

// Candidate a matches reference b under the spec's comparison.
bool sameUnderTolerance(const spec::Spec &s, uint32_t a, uint32_t b,
                        double mag) {
  // (a: candidate, b: reference)
  float fa = bitsFloat(a), fb = bitsFloat(b);
  if (std::isnan(fa) || std::isnan(fb))
    return std::isnan(fa) && std::isnan(fb);
  if (s.tolerance.ignoreZeroSign && fa == 0 && fb == 0)
    return true;
  if (a == b)
    return true;
  if (s.tolerance.bitExact() || std::isinf(fa) || std::isinf(fb))
    return false;
  // In double, |fa - fb| and the tolerance are each within a relative
  // 2^-52 of their exact values: a difference within 2^-40 of the tolerance
  // counts as a match, so "differs" (a refutation) is never decided by the
  // rounding of this comparison.
  double d = std::fabs(static_cast<double>(fa) - static_cast<double>(fb));
  if (s.tolerance.sumForm() && std::isnan(mag))
    return true; // unknown magnitudes: not a refutation
  double tol = s.tolerance.sumForm()
                   ? s.tolerance.atol + s.tolerance.sumRtol * mag
                   : s.tolerance.atol +
                         s.tolerance.rtol * std::fabs(static_cast<double>(fb));
  return d <= tol * (1 + 0x1p-40) + 0x1p-1074;
}

// The spec's comparison as an SMT formula over fp32 terms: NaN matches NaN
// only, infinities match exactly, finite values within atol + rtol*|ref|
// (in exact real arithmetic).
Expr withinTolerance(const spec::Spec &s, const Expr &c, const Expr &f,
                     const std::optional<Expr> &mag) {
  Expr same = c.eq(f);
  if (s.tolerance.ignoreZeroSign)
    same = same || (c.isZero() && f.isZero());
  if (s.tolerance.bitExact())
    return same;
  Expr finite = !c.isNaN() && !c.isInf() && !f.isNaN() && !f.isInf();
  Expr d = c.fpToReal().rsub(f.fpToReal());
  Expr absd = Expr::ite(d.rlt(Expr::realVal(0)), d.rneg(), d);
  Expr fr = f.fpToReal();
  Expr absf = Expr::ite(fr.rlt(Expr::realVal(0)), fr.rneg(), fr);
  Expr tol = Expr::realFromDouble(s.tolerance.atol)
                 .radd(Expr::realFromDouble(s.tolerance.rtol).rmul(absf));
  if (s.tolerance.sumForm())
    tol = mag ? Expr::realFromDouble(s.tolerance.atol)
                    .radd(Expr::realFromDouble(s.tolerance.sumRtol).rmul(*mag))
              : Expr::realFromDouble(s.tolerance.atol);
  return same || (finite && absd.rle(tol));
}

std::optional<Expr> withinToleranceFP(const spec::Spec &s, const Expr &c,
                                      const Expr &f) {
  const spec::Tolerance &t = s.tolerance;
  if (t.bitExact() || t.sumForm() || !(t.atol >= 0x1p-100) || !(t.rtol >= 0) ||
      !std::isfinite(t.atol) || !std::isfinite(t.rtol))
    return std::nullopt;
  Expr same = c.eq(f);
  if (t.ignoreZeroSign)
    same = same || (c.isZero() && f.isZero());
  // Both sides finite (then c - f is not NaN); an overflowing difference
  // fails the test (it is only ever too strict).
  Expr finite = !c.isNaN() && !c.isInf() && !f.isNaN() && !f.isInf();
  Expr d = c.fsub(f);
  float atol = highBound(t.atol), rtol = highBound(t.rtol);
  Expr up = Expr::fpVal(1.0f + 0x1p-20f), down = Expr::fpVal(1.0f - 0x1p-20f);
  Expr lhs = d.fabs().fmul(up);
  Expr tol =
      Expr::fpVal(atol).fadd(Expr::fpVal(rtol).fmul(f.fabs())).fmul(down);
  return same || (finite && !d.isInf() && lhs.fole(tol));
}

} // namespace ksynth::verify
