// Value-type SMT expressions. The only public face of Z3 in ksynth: this
// header does not include <z3++.h>; an Expr holds a reference-counted Z3 AST
// of the process-wide context (solver/Context.cpp), like Alive2's smt::expr.
//
// Sorts used by ksynth: Bool, bit-vectors (1..64 bits) and IEEE binary32
// ("fp32"). All floating-point arithmetic rounds to nearest-even.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

typedef struct _Z3_ast *Z3_ast;

namespace ksynth::smt {

class Expr {
public:
  Expr() = default; // the null expression
  Expr(const Expr &other);
  Expr(Expr &&other) noexcept;
  Expr &operator=(const Expr &other);
  Expr &operator=(Expr &&other) noexcept;
  ~Expr();

  // ---- constants and variables ----
  static Expr boolVal(bool b);
  static Expr bvVal(uint64_t value, unsigned width); // value truncated
  static Expr fpVal(float f);                        // any float incl. NaN
  static Expr fpFromBitsVal(uint32_t bits);          // float with these bits
  static Expr boolVar(const std::string &name);
  static Expr bvVar(const std::string &name, unsigned width);
  static Expr fpVar(const std::string &name); // fp32

  // ---- inspection ----
  bool isNull() const { return ast_ == nullptr; }
  bool isBool() const;
  bool isBV() const;
  bool isFP() const;
  unsigned bvWidth() const;    // requires isBV()
  bool isConstVar() const;     // an uninterpreted constant (a variable)
  std::string varName() const; // requires isConstVar()
  // Numerals only (after simplify(), a ground term usually becomes one).
  std::optional<bool> asBool() const;
  std::optional<uint64_t> asUInt() const;   // bit-vector numeral
  std::optional<uint32_t> asFPBits() const; // fp numeral; NaN -> 0x7fc00000
  bool isTrue() const { return asBool() == std::optional<bool>(true); }
  bool isFalse() const { return asBool() == std::optional<bool>(false); }

  unsigned id() const;            // Z3 AST id: equal iff same() in one context
  bool same(const Expr &o) const; // structurally identical AST (hash-consed)
  std::string str() const;        // SMT-LIB2 text of the term
  Expr simplify() const;          // Z3's rewriter; equivalence-preserving
  Expr substitute(const std::vector<std::pair<Expr, Expr>> &map) const;
  // Distinct variables occurring in this term, in first-occurrence DFS order.
  std::vector<Expr> vars() const;

  // ---- Boolean ----
  Expr operator!() const;
  Expr operator&&(const Expr &o) const; // folds true/false operands
  Expr operator||(const Expr &o) const;
  Expr implies(const Expr &o) const;
  static Expr ite(const Expr &c, const Expr &t, const Expr &e); // folds const c
  static Expr andAll(const std::vector<Expr> &xs);              // empty -> true
  static Expr orAll(const std::vector<Expr> &xs); // empty -> false
  // SMT-LIB '=': for fp32 this is identity of IEEE data (NaN = NaN, +0 != -0).
  Expr eq(const Expr &o) const;
  Expr ne(const Expr &o) const { return !eq(o); }

  // ---- bit-vectors (operands of equal width) ----
  Expr add(const Expr &o) const;
  Expr sub(const Expr &o) const;
  Expr mul(const Expr &o) const;
  Expr udiv(const Expr &o) const;
  Expr sdiv(const Expr &o) const;
  Expr urem(const Expr &o) const;
  Expr srem(const Expr &o) const;
  Expr shl(const Expr &o) const;
  Expr lshr(const Expr &o) const;
  Expr ashr(const Expr &o) const;
  Expr band(const Expr &o) const;
  Expr bor(const Expr &o) const;
  Expr bxor(const Expr &o) const;
  Expr bnot() const;
  Expr bneg() const;
  Expr ult(const Expr &o) const;
  Expr ule(const Expr &o) const;
  Expr slt(const Expr &o) const;
  Expr sle(const Expr &o) const;
  Expr zext(unsigned toWidth) const;
  Expr sext(unsigned toWidth) const;
  Expr trunc(unsigned toWidth) const; // low bits
  Expr extract(unsigned hi, unsigned lo) const;
  Expr concat(const Expr &low) const; // this is the high part

  // ---- IEEE binary32, round-to-nearest-even ----
  Expr fadd(const Expr &o) const;
  Expr fsub(const Expr &o) const;
  Expr fmul(const Expr &o) const;
  Expr fdiv(const Expr &o) const;
  Expr fma(const Expr &b, const Expr &c) const; // this*b+c, one rounding
  Expr fsqrt() const;
  Expr fneg() const; // flips the sign bit (NaN stays NaN)
  Expr fabs() const;
  // IEEE comparisons: false when either operand is NaN; -0 == +0.
  Expr foeq(const Expr &o) const;
  Expr folt(const Expr &o) const;
  Expr fole(const Expr &o) const;
  Expr fogt(const Expr &o) const { return o.folt(*this); }
  Expr foge(const Expr &o) const { return o.fole(*this); }
  Expr isNaN() const;
  Expr isInf() const;
  Expr isZero() const;
  Expr isSubnormal() const;
  Expr isNegative() const; // sign bit set and not NaN
  // bv32 -> fp32 reinterpretation (every NaN pattern maps to NaN).
  static Expr fpFromBits(const Expr &bv32);
  // fp32 -> bv32; NaN maps to the canonical quiet NaN 0x7fc00000 (NaN
  // payloads are not modelled; reports say so).
  Expr fpToBits() const;
  // Conversions (LLVM fptosi/fptoui round toward zero; out of range is a
  // caller's concern; sitofp/uitofp round to nearest-even).
  Expr fpToSBV(unsigned width) const;
  Expr fpToUBV(unsigned width) const;
  static Expr sbvToFP(const Expr &bv);
  static Expr ubvToFP(const Expr &bv);
  // OpenCL's explicit rounding modes (convert_*_rte/_rtz/_rtp/_rtn,
  // vstore_half_r*): to nearest even, toward zero, +inf, -inf.
  enum class RoundMode { NearestEven, TowardZero, Up, Down };
  // fp32 rounded to an integral fp32 value in mode m (NaN, inf unchanged).
  Expr fpRoundIntegral(RoundMode m) const;
  // fp32 -> IEEE binary16 ("half"), rounded in mode m, as its 16 bits; a
  // NaN gives the canonical quiet half NaN 0x7e00 (callers choose others).
  Expr fpToHalfBits(RoundMode m) const;
  // binary16 bits (bv16) -> the fp32 of the same value (exact).
  static Expr halfBitsToFP(const Expr &bv16);

  // ---- real numbers (proofs up to rounding) ----
  static Expr realVal(int64_t num, int64_t den = 1);
  static Expr realFromDouble(double d); // exact (d is a dyadic rational)
  static Expr realVar(const std::string &name);
  bool isReal() const;
  Expr radd(const Expr &o) const;
  Expr rsub(const Expr &o) const;
  Expr rmul(const Expr &o) const;
  Expr rdiv(const Expr &o) const;
  Expr rneg() const;
  Expr rlt(const Expr &o) const;
  Expr rle(const Expr &o) const;
  Expr fpToReal() const; // finite fp32 -> its exact real value
  // Value of a real numeral, rounded to double (nullopt if not a numeral).
  std::optional<double> asReal() const;

  // ---- arrays: bit-vector index -> bit-vector value (a whole buffer at a
  // shape too large to enumerate its elements; verify/methods/SymbolicItem.cpp) ----
  static Expr arrayVar(const std::string &name, unsigned indexWidth,
                       unsigned valueWidth);
  bool isArray() const;
  Expr select(const Expr &index) const; // requires isArray()
  Expr store(const Expr &index, const Expr &value) const;
  // Distinct array reads select(a, i) in this term, first occurrence first
  // (pre-order); reads nested in an index are included.
  std::vector<Expr> selects() const;

  // ---- uninterpreted functions (transcendentals, shared by both sides) ----
  // name(args...), of the sort of args[0]. Same name and argument sorts:
  // the same function.
  static Expr uf(const std::string &name, const std::vector<Expr> &args);

  // ---- a read-only view of the term, for analyses outside solver/ ----
  enum class Op {
    Other,
    Var,
    BVNum,
    FPNum,
    RealNum,
    True,
    False,
    Not,
    And,
    Or,
    Ite,
    Eq,
    FAdd,
    FSub,
    FMul,
    FDiv,
    FMA,
    FSqrt,
    FNeg,
    FAbs,
    FLt,
    FLe,
    FEq,
    FIsNaN,
    FIsInf,
    FIsZero,
    FIsNeg,
    FIsSubnormal,
    FromBits,
    ToBits,
    UF,
    BVExtract,
    BVConcat,
    BVOther
  };
  Op op() const;
  // Operands (floating-point rounding-mode operands are left out).
  std::vector<Expr> args() const;
  std::string ufName() const; // for Op::UF

  Z3_ast raw() const { return ast_; } // for solver/ internals only

  explicit Expr(Z3_ast a); // takes a new reference; solver/ internals only

private:
  Z3_ast ast_ = nullptr;
};

} // namespace ksynth::smt
