// The options of one verification (`ksynth verify`'s flags): solver
// settings, budgets, execution limits, the device's fmuladd behaviour and
// the deadlines. Every layer of verify/ reads them from here; the entry
// point that takes them is verify() in verify/Verifier.h.
#pragma once

#include "solver/SolverConfig.h"
#include "verify/core/Budgets.h"

#include <chrono>
#include <cstdint>

namespace ksynth::verify {

enum class FmaMode { Fused, Unfused };

struct ExecLimits {
  uint64_t maxStepsPerItem = 1u << 20; // instructions along one path
  unsigned maxPathsPerItem = 256;
  uint64_t maxTotalSteps = 400u << 20; // whole verification
  // Whole-verification deadline (VerifyOptions::deadlineSeconds).
  std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
  // Symbolic work-item mode: accumulation loops that may run this many
  // times or more are summarised as folds (verify/exec/LoopSummary.cpp); 0:
  // never.
  uint64_t summarizeAbove = 4096;
  // Resident memory of this process past which a verification stops with
  // unknown (too-large) instead of being killed; 0: no limit.
  uint64_t maxResidentBytes = 0;
  // Enumeration (every work-item with concrete ids, one variable per input
  // element): the most work-items of one launch, and the most input
  // elements where a tensor op reads many of them per work-item. Beyond
  // either, the method choice (verify/MethodChoice.h) answers unknown
  // (too-large) before starting.
  uint64_t maxEnumeratedItems = uint64_t(1) << 22;
  uint64_t maxEnumeratedInputElems = uint64_t(1) << 22;
};

struct VerifyOptions {
  smt::SolverConfig solver;
  Budgets
      budgets; // the small per-query and search budgets (verify/core/Budgets.h)
  ExecLimits limits;
  FmaMode fma = FmaMode::Fused; // how llvm.fmuladd executes on the device
  unsigned shrinkVars = 6;      // counterexample variables to shrink
  double deadlineSeconds = 600; // the whole verification; then unknown
  // Shape bindings with more work-items or output elements than this are
  // verified by one arbitrary symbolic work-item
  // (verify/methods/SymbolicItem.h) where the spec and manifest qualify;
  // smaller ones enumerate work-items.
  uint64_t symbolicAbove = 4096;
  // Resident memory past which verification stops with unknown; 0: half
  // of the machine's physical memory (at least 1 GiB).
  uint64_t maxMemoryMb = 0;
};

} // namespace ksynth::verify
