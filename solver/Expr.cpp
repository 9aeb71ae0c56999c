// Expr: lifetime, constants, variables, inspection, traversal and the
// Boolean connectives. Bit-vector and floating-point operations are in
// ExprBV.cpp and ExprFP.cpp.
#include "solver/Expr.h"

#include "solver/Context.h"
#include "solver/ExprCheck.h"
#include "support/Float.h"

#include <unordered_set>

namespace ksynth::smt {

using detail::ctx;
using detail::requireKind;
using detail::requireNonNull;
using detail::requireSameSort;
using detail::SortKind;

// ---- lifetime ----

Expr::Expr(Z3_ast a) : ast_(a) {
  if (ast_)
    Z3_inc_ref(ctx(), ast_);
}

Expr::Expr(const Expr &other) : ast_(other.ast_) {
  if (ast_)
    Z3_inc_ref(ctx(), ast_);
}

Expr::Expr(Expr &&other) noexcept : ast_(std::exchange(other.ast_, nullptr)) {}

Expr &Expr::operator=(const Expr &other) {
  if (other.ast_)
    Z3_inc_ref(ctx(), other.ast_);
  if (ast_)
    Z3_dec_ref(ctx(), ast_);
  ast_ = other.ast_;
  return *this;
}

Expr &Expr::operator=(Expr &&other) noexcept {
  if (this != &other) {
    if (ast_)
      Z3_dec_ref(ctx(), ast_);
    ast_ = std::exchange(other.ast_, nullptr);
  }
  return *this;
}

Expr::~Expr() {
  if (ast_)
    Z3_dec_ref(ctx(), ast_);
}

// ---- constants and variables ----

Expr Expr::boolVal(bool b) {
  return Expr(b ? Z3_mk_true(ctx()) : Z3_mk_false(ctx()));
}

Expr Expr::bvVal(uint64_t value, unsigned width) {
  Z3_sort s = detail::bvSort(width); // checks 1..64
  if (width < 64)
    value &= (uint64_t(1) << width) - 1;
  return Expr(Z3_mk_unsigned_int64(ctx(), value, s));
}

Expr Expr::fpVal(float f) { return fpFromBitsVal(floatBits(f)); }

Expr Expr::fpFromBitsVal(uint32_t bits) {
  Z3_context c = ctx();
  bool nan = (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu);
  if (nan)
    return Expr(Z3_mk_fpa_nan(c, detail::fp32Sort()));
  // (fp sign exponent significand) of bit-vector numerals; the rewriter
  // turns it into an FP numeral. Exact for zeros, subnormals and infinities.
  Expr sign = bvVal(bits >> 31, 1);
  Expr exponent = bvVal((bits >> 23) & 0xff, 8);
  Expr significand = bvVal(bits & 0x7fffff, 23);
  Expr fp(Z3_mk_fpa_fp(c, sign.raw(), exponent.raw(), significand.raw()));
  return fp.simplify();
}

static Expr mkConst(const std::string &name, Z3_sort s) {
  Z3_context c = ctx();
  return Expr(Z3_mk_const(c, Z3_mk_string_symbol(c, name.c_str()), s));
}

Expr Expr::boolVar(const std::string &name) {
  return mkConst(name, detail::boolSort());
}
Expr Expr::bvVar(const std::string &name, unsigned width) {
  return mkConst(name, detail::bvSort(width));
}
Expr Expr::fpVar(const std::string &name) {
  return mkConst(name, detail::fp32Sort());
}

// ---- inspection ----

static Z3_sort_kind sortKind(Z3_ast a) {
  return Z3_get_sort_kind(ctx(), Z3_get_sort(ctx(), a));
}

bool Expr::isBool() const { return ast_ && sortKind(ast_) == Z3_BOOL_SORT; }
bool Expr::isBV() const { return ast_ && sortKind(ast_) == Z3_BV_SORT; }
bool Expr::isFP() const {
  if (!ast_ || sortKind(ast_) != Z3_FLOATING_POINT_SORT)
    return false;
  Z3_sort s = Z3_get_sort(ctx(), ast_);
  return Z3_fpa_get_ebits(ctx(), s) == 8 && Z3_fpa_get_sbits(ctx(), s) == 24;
}

unsigned Expr::bvWidth() const {
  requireKind("bvWidth", *this, SortKind::BV);
  return Z3_get_bv_sort_size(ctx(), Z3_get_sort(ctx(), ast_));
}

bool Expr::isConstVar() const {
  Z3_context c = ctx();
  if (!ast_ || !Z3_is_app(c, ast_))
    return false;
  Z3_app app = Z3_to_app(c, ast_);
  return Z3_get_app_num_args(c, app) == 0 &&
         Z3_get_decl_kind(c, Z3_get_app_decl(c, app)) == Z3_OP_UNINTERPRETED;
}

std::string Expr::varName() const {
  KSYNTH_SMT_CHECK(isConstVar(), "Expr::varName: not a variable: " + str());
  Z3_context c = ctx();
  Z3_symbol sym = Z3_get_decl_name(c, Z3_get_app_decl(c, Z3_to_app(c, ast_)));
  if (Z3_get_symbol_kind(c, sym) == Z3_INT_SYMBOL)
    return "k!" + std::to_string(Z3_get_symbol_int(c, sym));
  return Z3_get_symbol_string(c, sym);
}

std::optional<bool> Expr::asBool() const {
  if (!isBool())
    return std::nullopt;
  switch (Z3_get_bool_value(ctx(), ast_)) {
  case Z3_L_TRUE:
    return true;
  case Z3_L_FALSE:
    return false;
  default:
    return std::nullopt;
  }
}

std::optional<uint64_t> Expr::asUInt() const {
  if (!isBV() || !Z3_is_numeral_ast(ctx(), ast_))
    return std::nullopt;
  uint64_t v = 0;
  if (!Z3_get_numeral_uint64(ctx(), ast_, &v))
    return std::nullopt;
  return v;
}

static bool isBVNumeral(Z3_ast a) {
  return Z3_get_sort_kind(ctx(), Z3_get_sort(ctx(), a)) == Z3_BV_SORT &&
         Z3_is_numeral_ast(ctx(), a);
}

std::optional<uint32_t> Expr::asFPBits() const {
  if (!isFP())
    return std::nullopt;
  switch (detail::declKind(ast_)) {
  case Z3_OP_FPA_NUM:
  case Z3_OP_FPA_PLUS_INF:
  case Z3_OP_FPA_MINUS_INF:
  case Z3_OP_FPA_NAN:
  case Z3_OP_FPA_PLUS_ZERO:
  case Z3_OP_FPA_MINUS_ZERO:
    break;
  case Z3_OP_FPA_FP: { // (fp s e m) of numerals, as models may print it
    Z3_app app = Z3_to_app(ctx(), ast_);
    for (unsigned i = 0; i < 3; ++i)
      if (!isBVNumeral(Z3_get_app_arg(ctx(), app, i)))
        return std::nullopt;
    break;
  }
  default:
    return std::nullopt;
  }
  std::optional<uint64_t> bits = fpToBits().simplify().asUInt();
  if (!bits)
    return std::nullopt;
  return static_cast<uint32_t>(*bits);
}

unsigned Expr::id() const {
  requireNonNull("id", *this);
  return Z3_get_ast_id(ctx(), ast_);
}

bool Expr::same(const Expr &o) const { return ast_ == o.ast_; }

std::string Expr::str() const {
  if (!ast_)
    return "null";
  return Z3_ast_to_string(ctx(), ast_);
}

Expr Expr::simplify() const {
  requireNonNull("simplify", *this);
  return Expr(Z3_simplify(ctx(), ast_));
}

Expr Expr::substitute(const std::vector<std::pair<Expr, Expr>> &map) const {
  requireNonNull("substitute", *this);
  if (map.empty())
    return *this;
  std::vector<Z3_ast> from, to;
  from.reserve(map.size());
  to.reserve(map.size());
  for (const auto &[f, t] : map) {
    requireSameSort("substitute", f, t);
    from.push_back(f.raw());
    to.push_back(t.raw());
  }
  return Expr(Z3_substitute(ctx(), ast_, static_cast<unsigned>(map.size()),
                            from.data(), to.data()));
}

std::vector<Expr> Expr::vars() const {
  requireNonNull("vars", *this);
  Z3_context c = ctx();
  std::vector<Expr> out;
  std::unordered_set<unsigned> seen;
  // Pre-order, left to right; ASTs on the stack are kept alive by ast_.
  std::vector<Z3_ast> stack{ast_};
  while (!stack.empty()) {
    Z3_ast a = stack.back();
    stack.pop_back();
    if (!Z3_is_app(c, a) || !seen.insert(Z3_get_ast_id(c, a)).second)
      continue; // bound variables and quantifiers do not occur in ksynth
    Z3_app app = Z3_to_app(c, a);
    unsigned n = Z3_get_app_num_args(c, app);
    if (n == 0) {
      if (Z3_get_decl_kind(c, Z3_get_app_decl(c, app)) == Z3_OP_UNINTERPRETED)
        out.emplace_back(a);
      continue;
    }
    for (unsigned i = n; i-- > 0;)
      stack.push_back(Z3_get_app_arg(c, app, i));
  }
  return out;
}

// ---- Boolean ----

Expr Expr::operator!() const {
  requireKind("operator!", *this, SortKind::Bool);
  if (auto b = asBool())
    return boolVal(!*b);
  if (detail::declKind(ast_) == Z3_OP_NOT)
    return Expr(Z3_get_app_arg(ctx(), Z3_to_app(ctx(), ast_), 0));
  return Expr(Z3_mk_not(ctx(), ast_));
}

// a && b (isAnd) or a || b, folding constants and identical operands;
// allocation-free, as callers build long chains of these.
static Expr binaryJunction(const Expr &a, const Expr &b, bool isAnd) {
  const char *op = isAnd ? "operator&&" : "operator||";
  requireKind(op, a, SortKind::Bool);
  requireKind(op, b, SortKind::Bool);
  if (auto c = a.asBool())
    return *c == isAnd ? b : a; // neutral: the other; absorbing: itself
  if (auto c = b.asBool())
    return *c == isAnd ? a : b;
  if (a.same(b))
    return a;
  Z3_ast args[2] = {a.raw(), b.raw()};
  return Expr(isAnd ? Z3_mk_and(ctx(), 2, args) : Z3_mk_or(ctx(), 2, args));
}

Expr Expr::operator&&(const Expr &o) const {
  return binaryJunction(*this, o, true);
}
Expr Expr::operator||(const Expr &o) const {
  return binaryJunction(*this, o, false);
}

Expr Expr::implies(const Expr &o) const {
  requireKind("implies", *this, SortKind::Bool);
  requireKind("implies", o, SortKind::Bool);
  return !*this || o;
}

Expr Expr::ite(const Expr &c, const Expr &t, const Expr &e) {
  requireKind("ite", c, SortKind::Bool);
  requireSameSort("ite", t, e);
  if (auto b = c.asBool())
    return *b ? t : e;
  if (t.same(e))
    return t;
  if (t.isBool()) {
    if (t.isTrue() && e.isFalse())
      return c;
    if (t.isFalse() && e.isTrue())
      return !c;
  }
  return Expr(Z3_mk_ite(ctx(), c.raw(), t.raw(), e.raw()));
}

// And (isAnd) or Or of xs, dropping the neutral element and stopping at the
// absorbing one.
static Expr junction(const std::vector<Expr> &xs, bool isAnd) {
  const char *op = isAnd ? "andAll" : "orAll";
  std::vector<Z3_ast> args;
  std::unordered_set<Z3_ast> seen;
  args.reserve(xs.size());
  for (const Expr &x : xs) {
    requireKind(op, x, SortKind::Bool);
    if (auto b = x.asBool()) {
      if (*b != isAnd)
        return Expr::boolVal(!isAnd); // absorbing
      continue;                       // neutral
    }
    if (seen.insert(x.raw()).second)
      args.push_back(x.raw());
  }
  if (args.empty())
    return Expr::boolVal(isAnd);
  if (args.size() == 1)
    return Expr(args[0]);
  unsigned n = static_cast<unsigned>(args.size());
  return Expr(isAnd ? Z3_mk_and(ctx(), n, args.data())
                    : Z3_mk_or(ctx(), n, args.data()));
}

Expr Expr::andAll(const std::vector<Expr> &xs) { return junction(xs, true); }
Expr Expr::orAll(const std::vector<Expr> &xs) { return junction(xs, false); }

Expr Expr::eq(const Expr &o) const {
  requireSameSort("eq", *this, o);
  if (same(o))
    return boolVal(true);
  if (isBool()) {
    if (auto b = asBool())
      return *b ? o : !o;
    if (auto b = o.asBool())
      return *b ? *this : !*this;
  } else if (isBV()) {
    auto a = asUInt(), b = o.asUInt();
    if (a && b)
      return boolVal(*a == *b);
  }
  return Expr(Z3_mk_eq(ctx(), ast_, o.ast_));
}

} // namespace ksynth::smt
