// Symbolic execution of one kernel launch over its NDRange: every
// work-item runs with concrete ids and symbolic data; symbolic branches fork
// paths whose writes are merged under their path conditions. Obligation
// violations go to a ViolationLog; constructs that cannot be modelled throw
// CannotDecide.
#pragma once

#include "verify/Memory.h"
#include "verify/Obligation.h"
#include "verify/Value.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace llvm {
class Function;
class GlobalVariable;
class Module;
} // namespace llvm

namespace ksynth::verify {

enum class FmaMode { Fused, Unfused };

struct ExecLimits {
  uint64_t maxStepsPerItem = 1u << 20; // instructions along one path
  unsigned maxPathsPerItem = 256;
  uint64_t maxTotalSteps = 400u << 20; // whole verification
};

struct Geometry {
  unsigned dims = 1;
  uint64_t global[3] = {1, 1, 1};
  bool hasLocal = false;
  uint64_t local[3] = {1, 1, 1};
  uint64_t items() const { return global[0] * global[1] * global[2]; }
};

class Executor {
public:
  Executor(const llvm::Module &m, Memory &mem, ViolationLog &log,
           FmaMode fma, const ExecLimits &limits);
  ~Executor();
  // Runs all work-items of one launch, then checks the launch's races.
  void runLaunch(const llvm::Function &kernel, const std::vector<Val> &args,
                 const Geometry &g, const std::string &label);
  // Approximate operations met ("division (2.5 ulp)", ...).
  const std::set<std::string> &approximations() const;
  uint64_t totalSteps() const;
  // A __constant table the kernels may read, already placed in memory.
  void addConstantRegion(const llvm::GlobalVariable *gv, int region);

  struct Impl;

private:
  Impl *impl_;
};

// Fresh-variable prefixes: a violation whose condition mentions an
// "approx#" variable depends on an approximation (reported as unknown); one
// mentioning "nd#" depends on an implementation-defined choice.
inline constexpr const char *kApproxPrefix = "approx#";
inline constexpr const char *kNondetPrefix = "nd#";

} // namespace ksynth::verify
