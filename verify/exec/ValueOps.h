// Arithmetic on executor values: folds concrete operands with exact C++
// semantics (float32 ops round to nearest-even on x86-64 SSE; ksynth is
// built with -ffp-contract=off) and otherwise builds SMT terms.
#pragma once

#include "verify/core/Value.h"
#include "verify/numerics/FloatBits.h"

namespace ksynth::verify::ops {

enum class IntOp {
  Add,
  Sub,
  Mul,
  UDiv,
  SDiv,
  URem,
  SRem,
  Shl,
  LShr,
  AShr,
  And,
  Or,
  Xor
};
enum class ICmp { Eq, Ne, Ugt, Uge, Ult, Ule, Sgt, Sge, Slt, Sle };
enum class FOp { Add, Sub, Mul, Div };
// LLVM fcmp predicates: O* ordered (false on NaN), U* unordered (true on NaN).
enum class FCmp {
  False,
  Oeq,
  Ogt,
  Oge,
  Olt,
  Ole,
  One,
  Ord,
  Uno,
  Ueq,
  Ugt,
  Uge,
  Ult,
  Ule,
  Une,
  True
};

// Scalar Int operands of equal width. Division by zero and over-wide shifts
// are the caller's to check (they are undefined behaviour in LLVM).
Val intBin(IntOp op, const Val &a, const Val &b);
Val icmp(ICmp p, const Val &a, const Val &b);
Val fbin(FOp op, const Val &a, const Val &b);
Val fneg(const Val &a);
Val fabs(const Val &a);
Val fma(const Val &a, const Val &b, const Val &c); // one rounding
Val fcmp(FCmp p, const Val &a, const Val &b);
Val isNaN(const Val &a); // i1

Val trunc(const Val &a, unsigned w);
Val zext(const Val &a, unsigned w);
Val sext(const Val &a, unsigned w);
Val fpToSI(const Val &a, unsigned w); // poison when out of range (concrete)
Val fpToUI(const Val &a, unsigned w);
Val siToFP(const Val &a);
Val uiToFP(const Val &a);
// f32 -> i32: the exact encoding of a constant; of a term, as `bits` gives
// it (verify/numerics/FloatBits.h: exact for inputs, a NaN choice for computed
// NaNs).
Val floatToBits(const Val &a, FloatBits &bits);
Val bitsToFloat(const Val &a); // i32 -> f32

// c: Int 1. Scalars of one kind (pointers: same region).
Val select(const Val &c, const Val &a, const Val &b);

// i1 <-> SMT Bool.
smt::Expr truthOf(const Val &i1);
Val fromTruth(const smt::Expr &b);

} // namespace ksynth::verify::ops
