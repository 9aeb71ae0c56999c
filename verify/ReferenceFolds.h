// Long reductions of the reference as folds (verify/Fold.h), so that a
// candidate's summarised accumulation loop (verify/LoopSummary.cpp) can be
// matched to them by induction instead of unrolling both. verify/
// internals.
#pragma once

#include "spec/Spec.h"
#include "verify/Fold.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::verify {

// As referenceElementAt (verify/SymbolicItem.h), except that an element of
// the output of a sum, mean, prod or norm (p = 1, 2 or "fro") whose reduced
// extent is at least `above` (0: never) is built from a fold appended to
// `folds`: the semantics table's left fold (spec/ops/Reductions.h: from +0,
// or 1 for prod; |x| or x*x per element for norms) over the reduced
// elements in its order, k the position in that order. An argmax / argmin
// element is the index state (int64) of a two-state fold (best value,
// index) from element 0 and index 0 whose update k looks at element k + 1,
// as spec::red::extreme; a matmul element (no batch dims) a fold over its
// products.
smt::Expr referenceElementFolded(const spec::Spec &s,
                                 const spec::ShapeBinding &shape,
                                 const std::string &tensor,
                                 const smt::Expr &flat,
                                 std::vector<Fold> &folds, uint64_t above);

} // namespace ksynth::verify
