// Expr: real arithmetic, uninterpreted functions and the term view that
// lets verify/ analyse floating-point terms (error bounds, translation to
// reals) without including Z3.
#include "solver/Expr.h"

#include "solver/Context.h"
#include "solver/ExprCheck.h"

#include <cmath>
#include <cstdlib>

namespace ksynth::smt {

using detail::ctx;

namespace {

Z3_sort realSort() { return Z3_mk_real_sort(ctx()); }

void requireReal(const char *op, const Expr &a) {
  detail::requireNonNull(op, a);
  if (!a.isReal())
    detail::fail(std::string("Expr::") + op +
                 ": operand is not Real: " + detail::describe(a));
}

Expr bin(const char *op, const Expr &a, const Expr &b,
         Z3_ast (*mk)(Z3_context, unsigned, const Z3_ast[])) {
  requireReal(op, a);
  requireReal(op, b);
  Z3_ast xs[2] = {a.raw(), b.raw()};
  return Expr(mk(ctx(), 2, xs));
}

} // namespace

Expr Expr::realVal(int64_t num, int64_t den) {
  return Expr(Z3_mk_numeral(
      ctx(), (std::to_string(num) + "/" + std::to_string(den)).c_str(),
      realSort()));
}

// 2^k as a decimal string (k up to a few thousand).
static std::string pow2(int k) {
  std::string digits = "1"; // little-endian decimal digits
  for (int i = 0; i < k; ++i) {
    int carry = 0;
    for (char &c : digits) {
      int v = (c - '0') * 2 + carry;
      c = static_cast<char>('0' + v % 10);
      carry = v / 10;
    }
    if (carry)
      digits.push_back(static_cast<char>('0' + carry));
  }
  return std::string(digits.rbegin(), digits.rend());
}

Expr Expr::realFromDouble(double d) {
  if (!std::isfinite(d))
    detail::fail("Expr::realFromDouble: not finite");
  if (d == 0)
    return Expr(Z3_mk_numeral(ctx(), "0", realSort()));
  int e = 0;
  double m = std::frexp(d, &e); // d = m * 2^e, 0.5 <= |m| < 1
  long long mant = static_cast<long long>(std::ldexp(m, 53));
  e -= 53;
  while (mant % 2 == 0 && e < 0) { // keep the fraction small
    mant /= 2;
    ++e;
  }
  std::string text = std::to_string(mant);
  if (e >= 0) {
    Expr a(Z3_mk_numeral(ctx(), text.c_str(), realSort()));
    Expr b(Z3_mk_numeral(ctx(), pow2(e).c_str(), realSort()));
    return a.rmul(b).simplify();
  }
  text += "/" + pow2(-e);
  return Expr(Z3_mk_numeral(ctx(), text.c_str(), realSort()));
}

Expr Expr::realVar(const std::string &name) {
  return Expr(
      Z3_mk_const(ctx(), Z3_mk_string_symbol(ctx(), name.c_str()), realSort()));
}

bool Expr::isReal() const {
  return ast_ &&
         Z3_get_sort_kind(ctx(), Z3_get_sort(ctx(), ast_)) == Z3_REAL_SORT;
}

Expr Expr::radd(const Expr &o) const {
  return bin("radd", *this, o, Z3_mk_add);
}
Expr Expr::rsub(const Expr &o) const {
  return bin("rsub", *this, o, Z3_mk_sub);
}
Expr Expr::rmul(const Expr &o) const {
  return bin("rmul", *this, o, Z3_mk_mul);
}
Expr Expr::rdiv(const Expr &o) const {
  requireReal("rdiv", *this);
  requireReal("rdiv", o);
  return Expr(Z3_mk_div(ctx(), ast_, o.raw()));
}
Expr Expr::rneg() const {
  requireReal("rneg", *this);
  return Expr(Z3_mk_unary_minus(ctx(), ast_));
}
Expr Expr::rlt(const Expr &o) const {
  requireReal("rlt", *this);
  requireReal("rlt", o);
  return Expr(Z3_mk_lt(ctx(), ast_, o.raw()));
}
Expr Expr::rle(const Expr &o) const {
  requireReal("rle", *this);
  requireReal("rle", o);
  return Expr(Z3_mk_le(ctx(), ast_, o.raw()));
}

Expr Expr::fpToReal() const {
  detail::requireKind("fpToReal", *this, detail::SortKind::FP32);
  return Expr(Z3_mk_fpa_to_real(ctx(), ast_));
}

std::optional<double> Expr::asReal() const {
  if (!isReal() || !Z3_is_numeral_ast(ctx(), ast_))
    return std::nullopt;
  double d = 0;
  Z3_string s = Z3_get_numeral_decimal_string(ctx(), ast_, 30);
  d = std::strtod(s, nullptr);
  return d;
}

Expr Expr::uf(const std::string &name, const std::vector<Expr> &args) {
  if (args.empty())
    detail::fail("Expr::uf: no arguments");
  std::vector<Z3_sort> dom;
  std::vector<Z3_ast> xs;
  for (const Expr &a : args) {
    detail::requireNonNull("uf", a);
    dom.push_back(Z3_get_sort(ctx(), a.raw()));
    xs.push_back(a.raw());
  }
  Z3_func_decl f =
      Z3_mk_func_decl(ctx(), Z3_mk_string_symbol(ctx(), name.c_str()),
                      static_cast<unsigned>(dom.size()), dom.data(), dom[0]);
  return Expr(Z3_mk_app(ctx(), f, static_cast<unsigned>(xs.size()), xs.data()));
}

Expr::Op Expr::op() const {
  if (!ast_)
    return Op::Other;
  Z3_context c = ctx();
  if (Z3_get_ast_kind(c, ast_) == Z3_NUMERAL_AST) {
    if (isBV())
      return Op::BVNum;
    if (isReal())
      return Op::RealNum;
    return Op::Other;
  }
  if (Z3_get_ast_kind(c, ast_) != Z3_APP_AST)
    return Op::Other;
  if (isConstVar())
    return Op::Var;
  switch (detail::declKind(ast_)) {
  case Z3_OP_TRUE:
    return Op::True;
  case Z3_OP_FALSE:
    return Op::False;
  case Z3_OP_NOT:
    return Op::Not;
  case Z3_OP_AND:
    return Op::And;
  case Z3_OP_OR:
    return Op::Or;
  case Z3_OP_ITE:
    return Op::Ite;
  case Z3_OP_EQ:
    return Op::Eq;
  case Z3_OP_FPA_ADD:
    return Op::FAdd;
  case Z3_OP_FPA_SUB:
    return Op::FSub;
  case Z3_OP_FPA_MUL:
    return Op::FMul;
  case Z3_OP_FPA_DIV:
    return Op::FDiv;
  case Z3_OP_FPA_FMA:
    return Op::FMA;
  case Z3_OP_FPA_SQRT:
    return Op::FSqrt;
  case Z3_OP_FPA_NEG:
    return Op::FNeg;
  case Z3_OP_FPA_ABS:
    return Op::FAbs;
  case Z3_OP_FPA_LT:
    return Op::FLt;
  case Z3_OP_FPA_LE:
    return Op::FLe;
  case Z3_OP_FPA_EQ:
    return Op::FEq;
  case Z3_OP_FPA_IS_NAN:
    return Op::FIsNaN;
  case Z3_OP_FPA_IS_INF:
    return Op::FIsInf;
  case Z3_OP_FPA_IS_ZERO:
    return Op::FIsZero;
  case Z3_OP_FPA_IS_NEGATIVE:
    return Op::FIsNeg;
  case Z3_OP_FPA_IS_SUBNORMAL:
    return Op::FIsSubnormal;
  case Z3_OP_FPA_NUM:
  case Z3_OP_FPA_PLUS_ZERO:
  case Z3_OP_FPA_MINUS_ZERO:
  case Z3_OP_FPA_PLUS_INF:
  case Z3_OP_FPA_MINUS_INF:
  case Z3_OP_FPA_NAN:
  case Z3_OP_FPA_FP:
    return Op::FPNum;
  case Z3_OP_FPA_TO_FP: {
    // (_ to_fp 8 24) of one bit-vector: a reinterpretation of bits.
    Z3_app a = Z3_to_app(c, ast_);
    if (Z3_get_app_num_args(c, a) == 1)
      return Op::FromBits;
    return Op::Other;
  }
  case Z3_OP_FPA_TO_IEEE_BV:
    return Op::ToBits;
  case Z3_OP_EXTRACT:
    return Op::BVExtract;
  case Z3_OP_CONCAT:
    return Op::BVConcat;
  case Z3_OP_UNINTERPRETED:
    return Op::UF;
  default:
    return isBV() ? Op::BVOther : Op::Other;
  }
}

std::vector<Expr> Expr::args() const {
  std::vector<Expr> out;
  Z3_context c = ctx();
  if (!ast_ || Z3_get_ast_kind(c, ast_) != Z3_APP_AST)
    return out;
  Z3_app a = Z3_to_app(c, ast_);
  unsigned n = Z3_get_app_num_args(c, a);
  for (unsigned i = 0; i < n; ++i) {
    Z3_ast x = Z3_get_app_arg(c, a, i);
    if (Z3_get_sort_kind(c, Z3_get_sort(c, x)) == Z3_ROUNDING_MODE_SORT)
      continue;
    out.push_back(Expr(x));
  }
  return out;
}

std::string Expr::ufName() const {
  Z3_context c = ctx();
  Z3_func_decl d = Z3_get_app_decl(c, Z3_to_app(c, ast_));
  return Z3_get_symbol_string(c, Z3_get_decl_name(c, d));
}

} // namespace ksynth::smt
