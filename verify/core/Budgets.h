// The verifier's small time budgets, in one place: wall-clock budgets of
// the concrete searches (hunting, shrinking) and the per-query timeouts of
// the side questions the methods ask on their way to a verdict. Every
// solver query goes through the configured solver stack (solver/Solver.h),
// which applies a query's timeout as the smaller of it and --timeout, so
// these budgets only ever shorten a query; --dump-smt, the cache and the
// statistics see every one of them. Set once per verification in
// VerifyOptions::budgets (verify/Verifier.h); defaults are the values
// tuned on the corpus and bench/issue4.
#pragma once

#include <cstdint>

namespace ksynth::verify {

struct Budgets {
  // ---- concrete searches (wall time, no solver) ----
  // Concrete hunting before the solver (interval evaluation through the
  // approximate operations): per shape binding in the enumerated method,
  // per store in the symbolic work-item method.
  unsigned huntMs = 600;
  // Shrinking a hunted counterexample of the enumerated method toward
  // readable values (verify/discharge/ConcreteHunt.h), within the hunt.
  unsigned huntShrinkMs = 200;
  // Shrinking a counterexample of the enumerated method concretely (one
  // input replaced by a readable value per try, milliseconds per try).
  unsigned concreteShrinkMs = 300;
  // Searching concrete inputs for a difference through loop summaries (the
  // symbolic methods' fold witness,
  // verify/discharge/SymbolicEquivalenceDischarge.cpp), whole search, within
  // the verification's deadline.
  unsigned foldWitnessMs = 30000;
  // Coverage by running the store terms over every id
  // (verify/discharge/CoverageEnum.h), in (store, id) pairs (about 10 ns
  // each): before the solver up to the first bound, after an undecided
  // solver query up to the second.
  uint64_t coverageEnumFirst = uint64_t(1) << 22;
  uint64_t coverageEnumMax = uint64_t(1) << 27;

  // ---- shrinking through the solver ----
  // Enumerated method (verify/discharge/Discharge.cpp): whole shrink, and each
  // query (a value hard to rule out is skipped). Queries over a few scalar
  // input variables.
  unsigned enumShrinkMs = 800;
  unsigned enumShrinkQueryMs = 150;
  // Symbolic methods (verify/discharge/ModelShrink.h, for a model of the
  // symbolic methods and a hunted leaf witness): whole shrink, and each
  // query. Queries over
  // the input arrays and both work-items' ids, larger than the enumerated
  // method's, hence the larger budgets (kept as tuned).
  unsigned symbolicShrinkMs = 3000;
  unsigned symbolicShrinkQueryMs = 300;

  // ---- side queries of the symbolic work-item / work-group methods ----
  // Whether a violation logged on a path that has not ended is certain
  // (Executor::setCertainViolationCheck; every method).
  unsigned certainViolationMs = 5000;
  // Whether a path is feasible (the executor's branch pruning).
  unsigned feasiblePathMs = 5000;
  // Whether two index terms are equal on a path (input reads as leaves).
  unsigned sameIndexMs = 2000;
  // The reference at a symbolic index (verify/methods/SymbolicReferenceAt.cpp):
  // whether the path decides a branch on index terms (each direction) ...
  unsigned referenceBranchMs = 2000;
  // ... and whether an index identity holds for every value (a small
  // bit-vector question; false where undecided).
  unsigned referenceIdentityMs = 500;
  // A model of a store's difference on the path, from hunted leaf values.
  unsigned huntQueryMs = 3000;
  // One question of an induction over a summarised loop
  // (verify/numerics/Fold.h).
  unsigned foldQueryMs = 3000;
  // The bit-level equivalence query where the candidate uses approximate
  // operations (rarely finishes; proves where unsat).
  unsigned approximateQueryMs = 3000;

  // ---- the rounding level (verify/discharge/RoundingLevel.cpp) ----
  // A lower bound on a divisor's real value (the normal form of an online
  // softmax's running sum).
  unsigned divisorBoundMs = 2000;
};

} // namespace ksynth::verify
