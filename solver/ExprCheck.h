// Sort checks shared by the Expr operations (internal to solver/). A sort
// mismatch is a bug in the caller: it is reported with the operation's name
// and the sorts involved, and the process aborts before Z3 sees the term.
#pragma once

#include "solver/Expr.h"

#include <z3.h>

namespace ksynth::smt::detail {

enum class SortKind { Bool, BV, FP32 };

Z3_sort sortOf(const Expr &e);
// "Bool", "(_ BitVec 32)", "(_ FloatingPoint 8 24)" or "null".
std::string describe(const Expr &e);
void requireNonNull(const char *op, const Expr &e);
void requireKind(const char *op, const Expr &e, SortKind k);
void requireSameSort(const char *op, const Expr &a, const Expr &b);
// Both of kind k and of one sort (for bit-vectors: one width).
void requireBoth(const char *op, const Expr &a, const Expr &b, SortKind k);

// Z3 declaration kind of an application, Z3_OP_UNINTERPRETED otherwise.
Z3_decl_kind declKind(Z3_ast a);

} // namespace ksynth::smt::detail
