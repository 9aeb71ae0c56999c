// The bit pattern of a float value, for the kernel's reinterpretations of
// float bits (bitcasts, as_int/as_uint, signbit, copysign, unions, vector
// bitcasts, stores of floats read back as integers).
//
// A float input element is a bit-vector variable (every one of its 2^32
// encodings, NaN signs and payloads included), and the float value is
// fpFromBits of it. The encoding of a term is exact where its structure
// fixes it: such a leaf, fneg / fabs of an exact term (sign-bit operations,
// exact on NaNs too), a select of exact terms, a non-NaN numeral. Elsewhere
// (a NaN produced by arithmetic, whose sign and payload IEEE 754 leaves
// open and devices differ on) a NaN result has an arbitrary NaN encoding,
// one nondeterministic choice (kNondetPrefix variable) per term, and a
// non-NaN result its unique encoding. A proof thus holds for every NaN a
// device may produce; a counterexample that depends on the choice says so.
#pragma once

#include "solver/Expr.h"

#include <unordered_map>
#include <utility>

namespace ksynth::verify {

class FloatBits {
public:
  // The bv32 encoding of fp32 term f (see above).
  smt::Expr of(const smt::Expr &f);
  // Number of NaN choices made so far (tests).
  unsigned choices() const { return next_; }

private:
  smt::Expr nanChoice(const smt::Expr &f);
  // AST id -> (term kept alive so the id is not reused, its encoding)
  std::unordered_map<unsigned, std::pair<smt::Expr, smt::Expr>> cache_;
  std::unordered_map<unsigned, std::pair<smt::Expr, smt::Expr>> nans_;
  unsigned next_ = 0;
};

} // namespace ksynth::verify
