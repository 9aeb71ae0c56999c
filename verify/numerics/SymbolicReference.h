// The spec's semantics table instantiated over SMT terms: the reference
// side of every equivalence query. float32 values are fp32 terms, bools
// Bool terms, int64 values 64-bit bit-vectors. The transcendental functions
// (exp, log, log1p, expm1, tanh, erf) are uninterpreted functions fp32 ->
// fp32 named after the function, shared with the candidate's side. No
// axiom is assumed about them: a difference that depends on their values
// is an approximation (unknown) unless it is confirmed for every value
// within their ulp bounds (RobustRefutation.cpp), and the rounding level
// uses those bounds (Rounding.cpp).
#pragma once

#include "solver/Expr.h"
#include "spec/Interpreter.h"

namespace ksynth::verify {

struct SymDomain {
  using Val = smt::Expr;
  using E = smt::Expr;
  static Val f32(float x) { return E::fpVal(x); }
  static Val num(double c) { return E::fpVal(static_cast<float>(c)); }
  static Val boolean(bool b) { return E::boolVal(b); }
  static Val i64(int64_t v) { return E::bvVal(static_cast<uint64_t>(v), 64); }
  Val add(const Val &a, const Val &b) { return a.fadd(b); }
  Val sub(const Val &a, const Val &b) { return a.fsub(b); }
  Val mul(const Val &a, const Val &b) { return a.fmul(b); }
  Val div(const Val &a, const Val &b) { return a.fdiv(b); }
  Val neg(const Val &a) { return a.fneg(); }
  Val abs(const Val &a) { return a.fabs(); }
  Val sqrt(const Val &a) { return a.fsqrt(); }
  Val exp(const Val &a) { return E::uf("exp", {a}); }
  Val log(const Val &a) { return E::uf("log", {a}); }
  Val log1p(const Val &a) { return E::uf("log1p", {a}); }
  Val expm1(const Val &a) { return E::uf("expm1", {a}); }
  Val tanh(const Val &a) { return E::uf("tanh", {a}); }
  Val erf(const Val &a) { return E::uf("erf", {a}); }
  Val lt(const Val &a, const Val &b) { return a.folt(b); }
  Val le(const Val &a, const Val &b) { return a.fole(b); }
  Val gt(const Val &a, const Val &b) { return a.fogt(b); }
  Val ge(const Val &a, const Val &b) { return a.foge(b); }
  // float32: IEEE ==; bool and int64: identity.
  Val eq(const Val &a, const Val &b) { return a.isFP() ? a.foeq(b) : a.eq(b); }
  Val ne(const Val &a, const Val &b) { return !eq(a, b); }
  Val isnan(const Val &a) { return a.isNaN(); }
  // Only applied to non-NaN values by the semantics table.
  Val signbit(const Val &a) { return a.isNegative(); }
  Val land(const Val &a, const Val &b) { return a && b; }
  Val lor(const Val &a, const Val &b) { return a || b; }
  Val lnot(const Val &a) { return !a; }
  Val select(const Val &c, const Val &a, const Val &b) {
    return E::ite(c, a, b);
  }
};

} // namespace ksynth::verify
