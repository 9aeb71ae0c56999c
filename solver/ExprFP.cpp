// Expr: IEEE binary32 operations, all rounding to nearest-even except the
// conversions to integers (toward zero, as LLVM's fptosi/fptoui) and the
// explicit-rounding and binary16 (half) conversions at the end.
#include "solver/Expr.h"

#include "solver/Context.h"
#include "solver/ExprCheck.h"

namespace ksynth::smt {

using detail::ctx;
using detail::requireBoth;
using detail::requireKind;
using detail::SortKind;

namespace {

using Rounded = Z3_ast (*)(Z3_context, Z3_ast, Z3_ast, Z3_ast);
using Binary = Z3_ast (*)(Z3_context, Z3_ast, Z3_ast);
using Unary = Z3_ast (*)(Z3_context, Z3_ast);

Expr rounded(const char *op, const Expr &a, const Expr &b, Rounded mk) {
  requireBoth(op, a, b, SortKind::FP32);
  return Expr(mk(ctx(), detail::rne(), a.raw(), b.raw()));
}

Expr bin(const char *op, const Expr &a, const Expr &b, Binary mk) {
  requireBoth(op, a, b, SortKind::FP32);
  return Expr(mk(ctx(), a.raw(), b.raw()));
}

Expr unary(const char *op, const Expr &a, Unary mk) {
  requireKind(op, a, SortKind::FP32);
  return Expr(mk(ctx(), a.raw()));
}

} // namespace

Expr Expr::fadd(const Expr &o) const {
  return rounded("fadd", *this, o, Z3_mk_fpa_add);
}
Expr Expr::fsub(const Expr &o) const {
  return rounded("fsub", *this, o, Z3_mk_fpa_sub);
}
Expr Expr::fmul(const Expr &o) const {
  return rounded("fmul", *this, o, Z3_mk_fpa_mul);
}
Expr Expr::fdiv(const Expr &o) const {
  return rounded("fdiv", *this, o, Z3_mk_fpa_div);
}

Expr Expr::fma(const Expr &b, const Expr &c) const {
  requireBoth("fma", *this, b, SortKind::FP32);
  requireBoth("fma", *this, c, SortKind::FP32);
  return Expr(Z3_mk_fpa_fma(ctx(), detail::rne(), ast_, b.raw(), c.raw()));
}

Expr Expr::fsqrt() const {
  requireKind("fsqrt", *this, SortKind::FP32);
  return Expr(Z3_mk_fpa_sqrt(ctx(), detail::rne(), ast_));
}

Expr Expr::fneg() const { return unary("fneg", *this, Z3_mk_fpa_neg); }
Expr Expr::fabs() const { return unary("fabs", *this, Z3_mk_fpa_abs); }

Expr Expr::foeq(const Expr &o) const {
  return bin("foeq", *this, o, Z3_mk_fpa_eq);
}
Expr Expr::folt(const Expr &o) const {
  return bin("folt", *this, o, Z3_mk_fpa_lt);
}
Expr Expr::fole(const Expr &o) const {
  return bin("fole", *this, o, Z3_mk_fpa_leq);
}

Expr Expr::isNaN() const { return unary("isNaN", *this, Z3_mk_fpa_is_nan); }
Expr Expr::isInf() const {
  return unary("isInf", *this, Z3_mk_fpa_is_infinite);
}
Expr Expr::isZero() const { return unary("isZero", *this, Z3_mk_fpa_is_zero); }
Expr Expr::isSubnormal() const {
  return unary("isSubnormal", *this, Z3_mk_fpa_is_subnormal);
}
// SMT-LIB's fp.isNegative is false for NaN.
Expr Expr::isNegative() const {
  return unary("isNegative", *this, Z3_mk_fpa_is_negative);
}

Expr Expr::fpFromBits(const Expr &bv32) {
  requireKind("fpFromBits", bv32, SortKind::BV);
  KSYNTH_SMT_CHECK(bv32.bvWidth() == 32,
                   "Expr::fpFromBits: expects (_ BitVec 32), got " +
                       detail::describe(bv32));
  return Expr(Z3_mk_fpa_to_fp_bv(ctx(), bv32.raw(), detail::fp32Sort()));
}

Expr Expr::fpToBits() const {
  requireKind("fpToBits", *this, SortKind::FP32);
  // fp.to_ieee_bv is unspecified for NaN: pin it to the canonical quiet NaN.
  Expr bits(Z3_mk_fpa_to_ieee_bv(ctx(), ast_));
  return ite(isNaN(), bvVal(0x7fc00000u, 32), bits);
}

Expr Expr::fpToSBV(unsigned width) const {
  requireKind("fpToSBV", *this, SortKind::FP32);
  detail::bvSort(width); // checks the width
  return Expr(Z3_mk_fpa_to_sbv(ctx(), detail::rtz(), ast_, width));
}

Expr Expr::fpToUBV(unsigned width) const {
  requireKind("fpToUBV", *this, SortKind::FP32);
  detail::bvSort(width);
  return Expr(Z3_mk_fpa_to_ubv(ctx(), detail::rtz(), ast_, width));
}

Expr Expr::sbvToFP(const Expr &bv) {
  requireKind("sbvToFP", bv, SortKind::BV);
  return Expr(Z3_mk_fpa_to_fp_signed(ctx(), detail::rne(), bv.raw(),
                                     detail::fp32Sort()));
}

Expr Expr::ubvToFP(const Expr &bv) {
  requireKind("ubvToFP", bv, SortKind::BV);
  return Expr(Z3_mk_fpa_to_fp_unsigned(ctx(), detail::rne(), bv.raw(),
                                       detail::fp32Sort()));
}

// ---- explicit rounding modes and binary16 (OpenCL half) ----

namespace {

Expr roundingMode(Expr::RoundMode m) {
  switch (m) {
  case Expr::RoundMode::NearestEven:
    return Expr(Z3_mk_fpa_rne(ctx()));
  case Expr::RoundMode::TowardZero:
    return Expr(Z3_mk_fpa_rtz(ctx()));
  case Expr::RoundMode::Up:
    return Expr(Z3_mk_fpa_rtp(ctx()));
  case Expr::RoundMode::Down:
    break;
  }
  return Expr(Z3_mk_fpa_rtn(ctx()));
}

// (_ FloatingPoint 5 11); Z3 keeps sorts alive while terms use them.
Z3_sort halfSort() { return Z3_mk_fpa_sort_16(ctx()); }

} // namespace

Expr Expr::fpRoundIntegral(RoundMode m) const {
  requireKind("fpRoundIntegral", *this, SortKind::FP32);
  Expr rm = roundingMode(m);
  return Expr(Z3_mk_fpa_round_to_integral(ctx(), rm.raw(), ast_));
}

Expr Expr::fpToHalfBits(RoundMode m) const {
  requireKind("fpToHalfBits", *this, SortKind::FP32);
  Expr rm = roundingMode(m);
  Expr h(Z3_mk_fpa_to_fp_float(ctx(), rm.raw(), ast_, halfSort()));
  Expr bits(Z3_mk_fpa_to_ieee_bv(ctx(), h.raw()));
  return ite(isNaN(), bvVal(0x7e00u, 16), bits);
}

Expr Expr::halfBitsToFP(const Expr &bv16) {
  detail::requireSameSort("halfBitsToFP", bv16, bvVal(0, 16));
  Expr h(Z3_mk_fpa_to_fp_bv(ctx(), bv16.raw(), halfSort()));
  return Expr(
      Z3_mk_fpa_to_fp_float(ctx(), detail::rne(), h.raw(), detail::fp32Sort()));
}

} // namespace ksynth::smt
