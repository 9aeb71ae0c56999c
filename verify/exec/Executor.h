// Symbolic execution of one kernel launch over its NDRange: work-group by
// work-group, and within a group barrier interval by barrier interval (every
// work-item runs until it reaches a barrier or returns, then all continue:
// the GPUVerify/KLEE-CL lockstep model). Work-items have concrete ids and
// symbolic data; symbolic branches fork paths whose writes are merged under
// their path conditions, and the paths of one work-item that reach the same
// barrier are merged into one state. Obligation violations go to a
// ViolationLog; constructs that cannot be modelled throw CannotDecide.
#pragma once

#include "verify/core/Memory.h"
#include "verify/core/Obligation.h"
#include "verify/core/Value.h"
#include "verify/core/VarNames.h"
#include "verify/core/VerifyOptions.h"
#include "verify/numerics/Fold.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace llvm {
class Function;
class Instruction;
class GlobalVariable;
class Module;
} // namespace llvm

namespace ksynth::smt {
class QuerySolver;
}

namespace ksynth::verify {

// Throws CannotDecide (too-large) when this process holds more than
// limits.maxResidentBytes; `where` names what was being done.
void checkMemory(const ExecLimits &limits,
                 const std::function<std::string()> &where);

struct Geometry {
  unsigned dims = 1;
  uint64_t global[3] = {1, 1, 1};
  bool hasLocal = false;
  uint64_t local[3] = {1, 1, 1};
  // The manifest's sub_group_size (cl_khr_subgroups): work-items in
  // linear local-id order form sub-groups of this many (the last may be
  // smaller); 0 when not declared (sub-group builtins are then unknown).
  uint64_t subGroupSize = 0;
  uint64_t items() const { return global[0] * global[1] * global[2]; }
};

// A __local pointer argument: one fresh buffer of `bytes` bytes per group.
struct LocalArg {
  unsigned index = 0; // kernel parameter
  int64_t bytes = 0;
  std::string name; // "local:arg4"
};

// The static __local variables (addrspace(3) globals) that `kernel` or a
// function it calls uses.
std::vector<const llvm::GlobalVariable *>
staticLocals(const llvm::Function &kernel);

// Symbolic work-item mode (verify/methods/SymbolicItem.cpp): one global-memory
// access of an arbitrary work-item, by element index (bv64).
struct SymAccess {
  int region = -1;
  smt::Expr index;
  Val value; // writes only
  bool write = false;
  // A write of a loop verified by one arbitrary iteration (LoopSummary.cpp):
  // its index and the path condition mention that iteration's number.
  bool anyIteration = false;
  // The load or store (source lines of a counterexample), if known.
  const llvm::Instruction *inst = nullptr;
};

// One complete path of the arbitrary work-item: its condition (over the
// work-item id variables, the input arrays and fresh values) and its global
// accesses in program order.
struct SymbolicPath {
  smt::Expr pc;
  std::vector<SymAccess> accesses;
};

// A memory-safety violation of the symbolic mode, to make its report
// concrete: the element index (signed, bv64) and the buffer.
struct SymbolicNote {
  size_t violation = 0; // position in the ViolationLog
  int region = -1;
  smt::Expr element;
};

// Symbolic work-group mode (verify/methods/SymbolicGroup.h): one global-memory
// access of a work-item of the arbitrary work-group, with the condition
// under which it happens (its path's, over the group-id variables, the
// input arrays and fresh values) and its place in the group's order.
struct GroupAccess {
  SymAccess access;
  smt::Expr pc;
  uint32_t item = 0;     // local flat id (x + lx * (y + ly * z))
  uint32_t segment = 0;  // barrier interval of the work-item
  uint32_t path = 0;     // path of that work-item in that interval
  uint32_t epoch = 0;    // barriers with CLK_GLOBAL_MEM_FENCE passed before
  uint32_t position = 0; // in its path, in program order
};

// What one run of the arbitrary work-group produced.
struct SymbolicGroupRun {
  std::vector<GroupAccess> accesses; // in commit order
  std::vector<smt::Expr> groupIds;   // "grp<tag>.<d>", one per NDRange dim
  std::vector<uint64_t> groups;      // number of work-groups per dim
  // groupIds < groups: not in the path conditions of the executor's
  // violations (a query about them must add it), in those of `accesses`.
  smt::Expr inRange;
  uint64_t localItems = 0; // work-items of one group
  std::string abandoned;   // set when barrier divergence stopped it
};

// The array of an input tensor's element bits (shared by the candidate's
// loads and the symbolic reference).
smt::Expr inputArray(const std::string &tensor, unsigned elemBits);

// The source location of an instruction (its line tables; invalid
// without), `what` from its kind ("store", "load", "barrier", ...), and of
// a kernel's definition ("kernel").
SourceLoc sourceLocOf(const llvm::Instruction *inst);
SourceLoc kernelLocOf(const llvm::Function &kernel);
// sourceLocOf for a load or store the executor recorded (Access::inst,
// SymAccess::inst): where that is not the access itself but the
// computation of its value (placeOf), `what` says so.
SourceLoc accessLocOf(const llvm::Instruction *inst, bool write);

class Executor {
public:
  Executor(const llvm::Module &m, Memory &mem, ViolationLog &log, FmaMode fma,
           const ExecLimits &limits);
  ~Executor();
  // The verification's solver stack, for questions asked while executing
  // (whether a barrier condition is uniform in a group); without it such
  // questions get a solver of their own with default settings.
  void setSolver(smt::QuerySolver *s);
  // A path that runs long (a loop that may never end) is stopped, with
  // unknown (bound), as soon as a violation logged so far can happen:
  // `canHappen(cond)` (the caller asks the solver under the input domain)
  // says so; the caller then discharges the logged violations, which are
  // certain whatever the path would do later. Checked when a path has run
  // 2 s, then at doubling intervals, and when its instruction count reaches
  // 2^16, 2^17, ... (a few queries per path at most).
  void
  setCertainViolationCheck(std::function<bool(const smt::Expr &)> canHappen);
  // Runs all work-items of one launch, group by group, then checks the
  // launch's races. `args` holds placeholders at the local arguments' places.
  void runLaunch(const llvm::Function &kernel, const std::vector<Val> &args,
                 const Geometry &g, const std::string &label,
                 const std::vector<LocalArg> &localArgs = {});
  // Non-empty when a launch stopped early (barrier divergence): its
  // memory is meaningless from there on, so no later launch may run, and
  // only the violations logged so far count.
  const std::string &abandoned() const;
  // When abandoned for a data-dependent barrier divergence: where each
  // work-item of the group may stop (to name two that differ in a model).
  const std::vector<Stop> &divergence() const;
  // Approximate operations met ("division (2.5 ulp)", ...).
  const std::set<std::string> &approximations() const;
  uint64_t totalSteps() const;
  // Symbolic work-item mode: runs one work-item whose global ids are the
  // bit-vector variables "gid<tag>.<d>" (64 bits, below the global size;
  // returned in `gids`), global buffers as SMT arrays (regions with
  // `symbolic` set), pruning infeasible branches with `feasible` (which may
  // answer true when unsure). Barriers, __local memory and atomics are
  // unsupported (CannotDecide). Returns the paths that reached the end.
  std::vector<SymbolicPath>
  runSymbolicItem(const llvm::Function &kernel, const std::vector<Val> &args,
                  const Geometry &g, const std::string &label,
                  const std::string &tag,
                  const std::function<bool(const smt::Expr &)> &feasible,
                  std::vector<smt::Expr> &gids);
  // Symbolic work-group mode (verify/methods/SymbolicGroup.cpp): runs the
  // work-items of one work-group whose group ids are the bit-vector variables
  // "grp<tag>.<d>" (64 bits, below the number of groups) and whose local
  // ids are concrete, barrier interval by barrier interval as runLaunch
  // does (barrier divergence, __local races and reads of unwritten __local
  // cells logged as there; a __local address that is not concrete is
  // CannotDecide); global ids are group id * local size + local id, global
  // buffers SMT arrays as in runSymbolicItem. Needs an explicit local size.
  SymbolicGroupRun
  runSymbolicGroup(const llvm::Function &kernel, const std::vector<Val> &args,
                   const Geometry &g, const std::string &label,
                   const std::string &tag,
                   const std::function<bool(const smt::Expr &)> &feasible,
                   const std::vector<LocalArg> &localArgs);
  const std::vector<SymbolicNote> &symbolicNotes() const;
  // The loops summarised so far (symbolic work-item mode), and why the
  // last loop that was not summarised was not.
  const std::vector<Fold> &folds() const;
  const std::string &summaryMiss() const;
  // Loops that store, verified by one arbitrary iteration: each iteration
  // variable's name and a bound B with every iteration number below B.
  const std::map<std::string, uint64_t> &iterationBounds() const;
  // A __constant table the kernels may read, already placed in memory.
  void addConstantRegion(const llvm::GlobalVariable *gv, int region);

  struct Impl;

private:
  Impl *impl_;
};

} // namespace ksynth::verify
