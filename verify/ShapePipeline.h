// The per-shape pipelines of verify() (verify/ internals): what the
// shapes of one verification share, and the two ways a shape is run once
// its method is chosen (MethodChoice.h): one arbitrary work-item or
// work-group (SymbolicItem.h, SymbolicGroup.h), or every work-item
// enumerated (Executor.h), each feeding the discharger (Discharge.h).
#pragma once

#include "solver/Solver.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "verify/MethodChoice.h"
#include "verify/Verifier.h"
#include "verify/core/Verdict.h"
#include "verify/discharge/ShapeRun.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace llvm {
class Function;
class Module;
} // namespace llvm

namespace ksynth::verify {

// OpenCL address spaces in clang's SPIR output.
inline constexpr unsigned kGlobalAS = 1, kConstantAS = 2, kLocalAS = 3;

// What the shapes of one verification share.
struct VerifyRun {
  const spec::Spec &s;
  const spec::Manifest &m;
  const VerifyOptions &opts;
  const llvm::Module &mod;
  const std::vector<const llvm::Function *> &kernels;
  smt::QuerySolver &solver;
  Verdict &v;
  std::string unknownReason, unknownKind;
  uint64_t steps = 0;
  std::set<std::string> approximations;
};

// One arbitrary work-item or work-group (MethodChoice): true when the
// shape is settled (proved, refuted, or unknown with no enumeration to fall
// back on); false when it is to be enumerated instead (mc.whyNotSymbolic
// then says why, and `run` is fresh).
bool runSymbolicShape(VerifyRun &R, ShapeRun &run, MethodChoice &mc);

// Every work-item with concrete ids, launch after launch, then the
// discharger on what they logged.
void runEnumeratedShape(VerifyRun &R, ShapeRun &run, const MethodChoice &mc);

} // namespace ksynth::verify
