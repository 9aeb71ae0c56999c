// One substitution applied to many terms in one pass: Z3's substitute
// builds its map anew in every call, so substituting an n-entry map into
// each of n terms one by one is quadratic (the symbolic work-group
// method's canonical indices: one entry and a few terms per access, 12288
// accesses for a 64x64-tile SGEMM group at K = 64). The terms are made the
// arguments of one uninterpreted application, substituted once and read
// back: each result is exactly what its own substitute call would give.
// verify/ internals.
#pragma once

#include "solver/Expr.h"

#include <utility>
#include <vector>

namespace ksynth::verify {

// Replaces each *terms[i] by terms[i]->substitute(map).
void substituteAll(const std::vector<smt::Expr *> &terms,
                   const std::vector<std::pair<smt::Expr, smt::Expr>> &map);

} // namespace ksynth::verify
