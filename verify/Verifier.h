// `ksynth verify`: proves or refutes a candidate against a spec.
#pragma once

#include "solver/SolverConfig.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "verify/Budgets.h"
#include "verify/Executor.h"
#include "verify/Verdict.h"

namespace ksynth::verify {

struct VerifyOptions {
  smt::SolverConfig solver;
  Budgets budgets; // the small per-query and search budgets (verify/Budgets.h)
  ExecLimits limits;
  FmaMode fma = FmaMode::Fused; // how llvm.fmuladd executes on the device
  unsigned shrinkVars = 6;      // counterexample variables to shrink
  double deadlineSeconds = 600; // the whole verification; then unknown
  // Shape bindings with more work-items or output elements than this are
  // verified by one arbitrary symbolic work-item (verify/SymbolicItem.h)
  // where the spec and manifest qualify; smaller ones enumerate work-items.
  uint64_t symbolicAbove = 4096;
  // Resident memory past which verification stops with unknown; 0: half
  // of the machine's physical memory (at least 1 GiB).
  uint64_t maxMemoryMb = 0;
};

// Never throws for verification outcomes; throws UserError when the
// candidate does not compile or its launches do not match its kernels.
Verdict verify(const spec::Spec &s, const spec::Manifest &m,
               const VerifyOptions &opts);

} // namespace ksynth::verify
