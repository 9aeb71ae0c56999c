// Values of the symbolic executor: LLVM scalars (iN, float, pointers) and
// vectors of them. A scalar is either a concrete constant (index arithmetic
// stays concrete and never reaches the solver) or an SMT expression.
#pragma once

#include "solver/Expr.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::verify {

struct Val {
  enum class Kind { Int, Float, Ptr, Vec, Poison } kind = Kind::Poison;
  unsigned width = 0; // Int: bits (1..64); Float: 32; Ptr: 64 (offset)
  bool isConst = true;
  uint64_t c = 0;  // Int: value (masked to width); Float: bits; Ptr: offset
  smt::Expr e;     // when !isConst: bv(width) / fp32 / bv64 offset
  int region = -1; // Ptr: memory region (-1: null)
  std::vector<Val> elems; // Vec

  static Val intConst(uint64_t v, unsigned w);
  static Val intSym(const smt::Expr &e); // width from e
  static Val floatConst(uint32_t bits);
  static Val floatConstF(float f);
  static Val floatSym(const smt::Expr &e);
  static Val ptr(int region, const Val &offset); // offset: Int 64
  static Val vec(std::vector<Val> elems);
  static Val poison() { return {}; }

  bool isInt() const { return kind == Kind::Int; }
  bool isFloat() const { return kind == Kind::Float; }
  bool isPtr() const { return kind == Kind::Ptr; }
  bool isVec() const { return kind == Kind::Vec; }
  bool isPoison() const { return kind == Kind::Poison; }

  // Signed value of a concrete Int.
  int64_t sval() const;
  // The value as an SMT term (Int -> bv, Float -> fp32). Requires a scalar.
  smt::Expr expr() const;
  // Ptr: the offset as a Val (Int 64).
  Val offset() const;
  std::string str() const;
};

uint64_t maskTo(uint64_t v, unsigned w);
int64_t signExtend(uint64_t v, unsigned w);

} // namespace ksynth::verify
