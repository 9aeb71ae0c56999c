// Long reductions of the reference as folds (verify/numerics/Fold.h), so that a
// candidate's summarised accumulation loop (verify/exec/LoopSummary.cpp) can be
// matched to them by induction instead of unrolling both. verify/
// internals.
#pragma once

#include "spec/Spec.h"
#include "verify/numerics/Fold.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::verify {

// As referenceElementAt (verify/methods/SymbolicItem.h), except that an element
// of the output of a sum, mean, prod or norm (p = 1, 2 or "fro") whose reduced
// extent is at least `above` (0: never) is built from a fold appended to
// `folds`: the semantics table's fold (spec/ops/Reductions.h: accStart,
// accTerm, accStep, accFinish) over the reduced elements in its order
// (reduceLineAt, reducePositionAt), k the position in that order. An
// argmax / argmin element is the index state (int64) of a two-state fold
// (best value, index) from element 0 and index 0 whose update k looks at
// element k + 1 (spec::red::extremeStep); a matmul element (no batch dims)
// a fold over its products (spec/ops/Linear.h matmulLinesAt, matmulStep).
smt::Expr referenceElementFolded(const spec::Spec &s,
                                 const spec::ShapeBinding &shape,
                                 const std::string &tensor,
                                 const smt::Expr &flat,
                                 std::vector<Fold> &folds, uint64_t above);

} // namespace ksynth::verify
