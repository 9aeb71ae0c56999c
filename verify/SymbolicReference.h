// The spec's semantics table instantiated over SMT terms: the reference
// side of every equivalence query.
#pragma once

#include "solver/Expr.h"
#include "spec/Interpreter.h"

namespace ksynth::verify {

struct SymDomain {
  using Val = smt::Expr;
  using E = smt::Expr;
  static Val f32(float x) { return E::fpVal(x); }
  static Val boolean(bool b) { return E::boolVal(b); }
  Val add(const Val &a, const Val &b) { return a.fadd(b); }
  Val sub(const Val &a, const Val &b) { return a.fsub(b); }
  Val mul(const Val &a, const Val &b) { return a.fmul(b); }
  Val div(const Val &a, const Val &b) { return a.fdiv(b); }
  Val neg(const Val &a) { return a.fneg(); }
  Val abs(const Val &a) { return a.fabs(); }
  Val lt(const Val &a, const Val &b) { return a.folt(b); }
  Val le(const Val &a, const Val &b) { return a.fole(b); }
  Val gt(const Val &a, const Val &b) { return a.fogt(b); }
  Val ge(const Val &a, const Val &b) { return a.foge(b); }
  Val eq(const Val &a, const Val &b) { return a.isBool() ? a.eq(b) : a.foeq(b); }
  Val ne(const Val &a, const Val &b) { return !eq(a, b); }
  Val isnan(const Val &a) { return a.isNaN(); }
  // Only applied to non-NaN values by the semantics table.
  Val signbit(const Val &a) { return a.isNegative(); }
  Val land(const Val &a, const Val &b) { return a && b; }
  Val lor(const Val &a, const Val &b) { return a || b; }
  Val lnot(const Val &a) { return !a; }
  Val select(const Val &c, const Val &a, const Val &b) { return E::ite(c, a, b); }
};

} // namespace ksynth::verify
