// The free symmetries of IEEE arithmetic, decided structurally (issue 12
// item 2): a term with the operands of every commutative operation sorted
// (fp add and multiply, the two factors of an fma, fp and SMT equality,
// and, or) and every select on a negated condition flipped, so that a kernel
// computing b + a where the reference computes a + b is the same term, never a
// slow bit-exact query. Commutation is exact in SMT-LIB's floating-point theory
// (one NaN, correctly rounded results), so equal canonical terms are equal
// values; a float's encoding (bit reinterpretation of a computed NaN) is not
// touched: its nondeterministic NaN choice is a variable of its own term
// (verify/numerics/FloatBits.h), which canonicalisation does not merge.
#pragma once

#include "solver/Expr.h"

namespace ksynth::verify {

smt::Expr canonicalSymmetric(const smt::Expr &e);

// Whether two simplified terms are equal up to those symmetries.
bool sameUpToSymmetry(const smt::Expr &a, const smt::Expr &b);

} // namespace ksynth::verify
