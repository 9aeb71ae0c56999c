#include "solver/ExprCheck.h"

#include "solver/Context.h"

namespace ksynth::smt::detail {

Z3_sort sortOf(const Expr &e) { return Z3_get_sort(ctx(), e.raw()); }

std::string describe(const Expr &e) {
  return e.isNull() ? std::string("null") : sortName(sortOf(e));
}

void requireNonNull(const char *op, const Expr &e) {
  KSYNTH_SMT_CHECK(!e.isNull(),
                   std::string("Expr::") + op + ": null expression operand");
}

static const char *kindName(SortKind k) {
  switch (k) {
  case SortKind::Bool:
    return "Bool";
  case SortKind::BV:
    return "a bit-vector";
  case SortKind::FP32:
    return "fp32";
  }
  return "?";
}

void requireKind(const char *op, const Expr &e, SortKind k) {
  requireNonNull(op, e);
  bool ok = k == SortKind::Bool ? e.isBool()
            : k == SortKind::BV ? e.isBV()
                                : e.isFP();
  KSYNTH_SMT_CHECK(ok, std::string("Expr::") + op + ": expects " + kindName(k) +
                           " operand, got " + describe(e) + " in " +
                           e.str().substr(0, 200));
}

void requireSameSort(const char *op, const Expr &a, const Expr &b) {
  requireNonNull(op, a);
  requireNonNull(op, b);
  KSYNTH_SMT_CHECK(Z3_is_eq_sort(ctx(), sortOf(a), sortOf(b)),
                   std::string("Expr::") + op +
                       ": operands have different sorts: " + describe(a) +
                       " vs " + describe(b));
}

void requireBoth(const char *op, const Expr &a, const Expr &b, SortKind k) {
  requireKind(op, a, k);
  requireKind(op, b, k);
  requireSameSort(op, a, b);
}

Z3_decl_kind declKind(Z3_ast a) {
  Z3_context c = ctx();
  if (!Z3_is_app(c, a))
    return Z3_OP_UNINTERPRETED;
  return Z3_get_decl_kind(c, Z3_get_app_decl(c, Z3_to_app(c, a)));
}

} // namespace ksynth::smt::detail
