// Expr: bit-vector operations. These do not fold numerals (callers fold
// concrete values themselves); they only check sorts and build the term.
#include "solver/Expr.h"

#include "solver/Context.h"
#include "solver/ExprCheck.h"

#include <unordered_set>

namespace ksynth::smt {

using detail::ctx;
using detail::requireBoth;
using detail::requireKind;
using detail::SortKind;

namespace {

using Binary = Z3_ast (*)(Z3_context, Z3_ast, Z3_ast);

Expr bin(const char *op, const Expr &a, const Expr &b, Binary mk) {
  requireBoth(op, a, b, SortKind::BV);
  return Expr(mk(ctx(), a.raw(), b.raw()));
}

} // namespace

Expr Expr::add(const Expr &o) const {
  return bin("add", *this, o, Z3_mk_bvadd);
}
Expr Expr::sub(const Expr &o) const {
  return bin("sub", *this, o, Z3_mk_bvsub);
}
Expr Expr::mul(const Expr &o) const {
  return bin("mul", *this, o, Z3_mk_bvmul);
}
Expr Expr::udiv(const Expr &o) const {
  return bin("udiv", *this, o, Z3_mk_bvudiv);
}
Expr Expr::sdiv(const Expr &o) const {
  return bin("sdiv", *this, o, Z3_mk_bvsdiv);
}
Expr Expr::urem(const Expr &o) const {
  return bin("urem", *this, o, Z3_mk_bvurem);
}
Expr Expr::srem(const Expr &o) const {
  return bin("srem", *this, o, Z3_mk_bvsrem);
}
Expr Expr::shl(const Expr &o) const {
  return bin("shl", *this, o, Z3_mk_bvshl);
}
Expr Expr::lshr(const Expr &o) const {
  return bin("lshr", *this, o, Z3_mk_bvlshr);
}
Expr Expr::ashr(const Expr &o) const {
  return bin("ashr", *this, o, Z3_mk_bvashr);
}
Expr Expr::band(const Expr &o) const {
  return bin("band", *this, o, Z3_mk_bvand);
}
Expr Expr::bor(const Expr &o) const { return bin("bor", *this, o, Z3_mk_bvor); }
Expr Expr::bxor(const Expr &o) const {
  return bin("bxor", *this, o, Z3_mk_bvxor);
}
Expr Expr::ult(const Expr &o) const {
  return bin("ult", *this, o, Z3_mk_bvult);
}
Expr Expr::ule(const Expr &o) const {
  return bin("ule", *this, o, Z3_mk_bvule);
}
Expr Expr::slt(const Expr &o) const {
  return bin("slt", *this, o, Z3_mk_bvslt);
}
Expr Expr::sle(const Expr &o) const {
  return bin("sle", *this, o, Z3_mk_bvsle);
}

Expr Expr::bnot() const {
  requireKind("bnot", *this, SortKind::BV);
  return Expr(Z3_mk_bvnot(ctx(), ast_));
}

Expr Expr::bneg() const {
  requireKind("bneg", *this, SortKind::BV);
  return Expr(Z3_mk_bvneg(ctx(), ast_));
}

Expr Expr::zext(unsigned toWidth) const {
  unsigned w = bvWidth();
  KSYNTH_SMT_CHECK(toWidth >= w && toWidth <= 64,
                   "Expr::zext: from " + std::to_string(w) + " to " +
                       std::to_string(toWidth) + " bits");
  if (toWidth == w)
    return *this;
  return Expr(Z3_mk_zero_ext(ctx(), toWidth - w, ast_));
}

Expr Expr::sext(unsigned toWidth) const {
  unsigned w = bvWidth();
  KSYNTH_SMT_CHECK(toWidth >= w && toWidth <= 64,
                   "Expr::sext: from " + std::to_string(w) + " to " +
                       std::to_string(toWidth) + " bits");
  if (toWidth == w)
    return *this;
  return Expr(Z3_mk_sign_ext(ctx(), toWidth - w, ast_));
}

Expr Expr::trunc(unsigned toWidth) const {
  unsigned w = bvWidth();
  KSYNTH_SMT_CHECK(toWidth >= 1 && toWidth <= w,
                   "Expr::trunc: from " + std::to_string(w) + " to " +
                       std::to_string(toWidth) + " bits");
  if (toWidth == w)
    return *this;
  return Expr(Z3_mk_extract(ctx(), toWidth - 1, 0, ast_));
}

Expr Expr::extract(unsigned hi, unsigned lo) const {
  unsigned w = bvWidth();
  KSYNTH_SMT_CHECK(lo <= hi && hi < w, "Expr::extract: bits [" +
                                           std::to_string(hi) + ":" +
                                           std::to_string(lo) + "] of a " +
                                           std::to_string(w) + "-bit value");
  return Expr(Z3_mk_extract(ctx(), hi, lo, ast_));
}

Expr Expr::concat(const Expr &low) const {
  requireKind("concat", *this, SortKind::BV);
  requireKind("concat", low, SortKind::BV);
  KSYNTH_SMT_CHECK(bvWidth() + low.bvWidth() <= 64,
                   "Expr::concat: result wider than 64 bits");
  return Expr(Z3_mk_concat(ctx(), ast_, low.raw()));
}

} // namespace ksynth::smt

// ---- arrays ----

namespace ksynth::smt {

Expr Expr::arrayVar(const std::string &name, unsigned indexWidth,
                    unsigned valueWidth) {
  Z3_context c = ctx();
  Z3_sort s = Z3_mk_array_sort(c, detail::bvSort(indexWidth),
                               detail::bvSort(valueWidth));
  return Expr(Z3_mk_const(c, Z3_mk_string_symbol(c, name.c_str()), s));
}

bool Expr::isArray() const {
  return ast_ &&
         Z3_get_sort_kind(ctx(), Z3_get_sort(ctx(), ast_)) == Z3_ARRAY_SORT;
}

static void requireArrayIndex(const char *op, const Expr &a, const Expr &i) {
  KSYNTH_SMT_CHECK(a.isArray(), std::string("Expr::") + op +
                                    ": expects an array, got " +
                                    detail::describe(a));
  Z3_sort dom = Z3_get_array_sort_domain(ctx(), Z3_get_sort(ctx(), a.raw()));
  KSYNTH_SMT_CHECK(!i.isNull() && Z3_is_eq_sort(ctx(), dom, detail::sortOf(i)),
                   std::string("Expr::") + op + ": index of sort " +
                       detail::describe(i) + " for an array of another index");
}

Expr Expr::select(const Expr &index) const {
  requireArrayIndex("select", *this, index);
  return Expr(Z3_mk_select(ctx(), ast_, index.raw()));
}

Expr Expr::store(const Expr &index, const Expr &value) const {
  requireArrayIndex("store", *this, index);
  Z3_sort rng = Z3_get_array_sort_range(ctx(), Z3_get_sort(ctx(), ast_));
  KSYNTH_SMT_CHECK(!value.isNull() &&
                       Z3_is_eq_sort(ctx(), rng, detail::sortOf(value)),
                   "Expr::store: value of sort " + detail::describe(value) +
                       " for an array of another range");
  return Expr(Z3_mk_store(ctx(), ast_, index.raw(), value.raw()));
}

std::vector<Expr> Expr::selects() const {
  detail::requireNonNull("selects", *this);
  Z3_context c = ctx();
  std::vector<Expr> out;
  std::vector<Z3_ast> stack{ast_};
  std::unordered_set<unsigned> visited;
  while (!stack.empty()) {
    Z3_ast a = stack.back();
    stack.pop_back();
    if (!Z3_is_app(c, a) || !visited.insert(Z3_get_ast_id(c, a)).second)
      continue;
    if (detail::declKind(a) == Z3_OP_SELECT)
      out.emplace_back(a);
    Z3_app app = Z3_to_app(c, a);
    unsigned n = Z3_get_app_num_args(c, app);
    for (unsigned i = n; i-- > 0;)
      stack.push_back(Z3_get_app_arg(c, app, i));
  }
  return out;
}

} // namespace ksynth::smt
