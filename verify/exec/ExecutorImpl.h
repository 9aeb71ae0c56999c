// Internals of the executor, shared by Executor.cpp (driver, memory),
// Instructions.cpp (LLVM instruction semantics) and Builtins.cpp (OpenCL
// builtins and LLVM intrinsics).
#pragma once

#include "verify/core/BuildOptions.h"
#include "verify/core/Unknown.h"
#include "verify/exec/Executor.h"
#include "verify/exec/ValueOps.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/Instructions.h>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace llvm {
class Loop;
}

namespace ksynth::verify {

// An OpenCL builtin's name from its Itanium mangling:
// "_Z20sub_group_reduce_addi" -> "sub_group_reduce_add" (other names
// unchanged); `code`, if given, gets the first parameter's type code after
// it ('i' int, 'j' uint, 'l' long, 'm' ulong, 'f' float; '?' if none).
std::string demangled(const std::string &m, char *code = nullptr);

struct Frame {
  const llvm::Function *fn = nullptr;
  std::unordered_map<const llvm::Value *, Val> regs;
  const llvm::BasicBlock *bb = nullptr;
  const llvm::BasicBlock *prev = nullptr;
  llvm::BasicBlock::const_iterator ip;
  const llvm::CallInst *call = nullptr; // in the caller, to receive the result
};

struct WorkItemIds {
  uint64_t gid[3] = {0, 0, 0}, lid[3] = {0, 0, 0}, grp[3] = {0, 0, 0};
  uint32_t flat = 0;
};

using CellKey = std::pair<int, int64_t>; // region, element

struct Path {
  smt::Expr pc = smt::Expr::boolVal(true);
  std::vector<Frame> frames;
  std::map<CellKey, Val> writes;
  std::vector<CellKey> reads;
  // The store of each write and the load of each read (source lines).
  std::map<CellKey, const llvm::Instruction *> writeInst;
  std::vector<const llvm::Instruction *> readInst;
  uint64_t steps = 0;
  bool done = false; // returned from the kernel (frames empty) or died (UB)
  // Stopped at a barrier (the call already executed; ip is after it).
  const llvm::CallInst *barrier = nullptr;
  uint64_t barrierFlags = 0;  // CLK_LOCAL_MEM_FENCE 1, CLK_GLOBAL_MEM_FENCE 2
  std::vector<SymAccess> sym; // symbolic work-item mode: global accesses
};

// One work-item of the group being executed.
struct ItemState {
  WorkItemIds ids;
  Path path; // single state at the start of an interval
  smt::Expr startPc = smt::Expr::boolVal(true); // path.pc at that start
  bool live = true; // false once returned (or all its paths died)
  // Sub-groups (verify/exec/SubGroup.cpp): the stopped paths of a work-item
  // whose sub-group waits at a work-group barrier (or returned) while
  // other sub-groups go on; runSegment hands them back unchanged.
  std::vector<Path> parked;
  // Fenced sub_group_barriers its sub-group has passed (local, global).
  uint32_t sgLocalEpoch = 0, sgGlobalEpoch = 0;
};

// A work-group continued past a barrier reached under a condition the
// same for all its work-items (WorkGroup.cpp): every work-item's state in
// one whole-group case, waiting to run after the case the group is in.
struct GroupCase {
  std::vector<ItemState> items;
  uint32_t localEpoch = 0, globalEpoch = 0;
  // The case passed a barrier with that fence: its epoch is fresh (set
  // when the case starts), so no access of another case shares it.
  bool freshLocal = false, freshGlobal = false;
};

// A call of sub_group_barrier or a sub-group collective (SubGroup.cpp).
bool isSubGroupPoint(const llvm::CallInst *call);

struct Executor::Impl {
  const llvm::Module &module;
  const llvm::DataLayout dl;
  Memory &mem;
  ViolationLog &log;
  FmaMode fma;
  ExecLimits limits;
  // The build options as modelled (verify/core/BuildOptions.h), from the
  // module.
  BuildModel build = buildModelOf(module);
  std::set<std::string> approximations;
  FloatBits floatBits; // encodings of float terms (bitcasts)
  uint64_t totalSteps = 0;
  unsigned fresh = 0;
  std::map<const llvm::GlobalVariable *, int> constantRegions;

  // Current work-item, work-group and launch.
  WorkItemIds ids;
  Geometry geom;
  std::string label;
  std::vector<Path> pending;         // forked paths still to run
  std::vector<CellKey> touched;      // global cells accessed in the launch
  std::vector<CellKey> touchedLocal; // __local cells accessed in the group
  uint32_t group = 0;                // flat id of the current work-group
  uint32_t localEpoch = 0;           // barriers with CLK_LOCAL_MEM_FENCE passed
  uint32_t globalEpoch = 0; // barriers with CLK_GLOBAL_MEM_FENCE passed
  std::map<const llvm::GlobalVariable *, int> localRegions; // this group's
  std::string abandoned;
  std::vector<Stop> stops; // of the divergent barrier, if any
  // Whole-group cases still to run (WorkGroup.cpp), the cases the group
  // was split into so far, and the highest epochs used in the group.
  std::vector<GroupCase> groupCases;
  unsigned groupCaseCount = 0;
  uint32_t maxLocalEpoch = 0, maxGlobalEpoch = 0;
  // Pops the next whole-group case into `items` (false if none is left).
  bool nextGroupCase(std::vector<ItemState> &items);

  // Symbolic work-item mode (SymbolicExec.cpp).
  bool symbolic = false;
  smt::Expr symGid[3];
  std::string symTag; // distinguishes the copies of the race argument
  std::function<bool(const smt::Expr &)> feasible;
  // The symbolic work-group method: violations whose condition is shown
  // false at every group id in range (GroupIdEnum, exact) are not logged.
  std::function<bool(const smt::Expr &)> impossible;
  smt::QuerySolver *solver = nullptr; // Executor::setSolver
  // Executor::setCertainViolationCheck; checked from kCertainCheckFrom steps.
  std::function<bool(const smt::Expr &)> certainViolation;
  static constexpr uint64_t kCertainCheckFrom = 1u << 16;
  void stopIfViolationCertain(const Path &p);
  std::vector<SymbolicNote> symNotes;
  bool isSymbolicRegion(const Val &ptr) const;
  // Bounds and alignment as violations, then the path continues where
  // the access is safe; false if no such path remains.
  bool symResolve(Path &p, const Val &ptr, uint64_t bytes, uint64_t elemBytes,
                  uint64_t align, bool write, smt::Expr &firstIndex);
  Val symLoad(Path &p, const Val &ptr, const llvm::Type *t, uint64_t align);
  void symStore(Path &p, const Val &ptr, const Val &v, const llvm::Type *t,
                uint64_t align);
  // Drops a path condition the solver shows infeasible (to false).
  void prune(Path &p);
  // A select's condition on indices only (no input data, no floating
  // point) that the path condition decides: its constant; else c.
  Val decideIndexCondition(const Path &p, const Val &c);
  // Symbolic work-group mode (SymbolicGroup.cpp): group-id variables,
  // the group's committed global accesses (loads see its writes), and the
  // work-item functions' values there (false for other builtins).
  bool symGroup = false;
  smt::Expr symGrp[3];
  std::vector<GroupAccess> groupLog;
  bool groupIdBuiltin(const std::string &name, int dim, Val &result) const;

  // Loop summaries (LoopSummary.cpp): on entering a loop's header from
  // outside, runs the loop as a fold and continues after it; false (and
  // summaryMiss) if the loop is not one that is summarised.
  struct LoopCache;
  struct LoopCacheDeleter {
    void operator()(LoopCache *c) const;
  };
  std::unique_ptr<LoopCache, LoopCacheDeleter> loops;
  std::vector<Fold> folds;
  std::string summaryMiss;
  std::map<std::string, uint64_t> iterationBounds; // storing loops
  bool summarizeLoop(Path &p, const llvm::BasicBlock *from,
                     const llvm::BasicBlock *header);
  bool summarizeLoopOrMiss(Path &p, const llvm::BasicBlock *from,
                           llvm::Loop *L);
  void oneArbitraryIteration(Path &p, Path &q, const smt::Expr &k,
                             const smt::Expr &trips,
                             std::vector<SymAccess> &writes,
                             const std::string &where);

  // Path merging (PathMerge.cpp), symbolic work-item mode: executes both
  // sides of a conditional branch to their immediate post-dominator and
  // continues with one path there where they can be merged; false if the
  // branch is not one that is merged (then it forks as usual).
  struct MergeCache;
  struct MergeCacheDeleter {
    void operator()(MergeCache *c) const;
  };
  std::unique_ptr<MergeCache, MergeCacheDeleter> merges;
  bool mergeBranch(Path &p, const llvm::BranchInst &br, const smt::Expr &cond);
  // The block where mergeBranch would merge the sides of `br` (its
  // immediate post-dominator, the region between checked), or nullptr
  // where it would not; for loop summaries of branchy bodies.
  const llvm::BasicBlock *mergeJoin(const llvm::BranchInst &br);
  // While a loop summary runs its body: its state variables (arbitrary,
  // hence approximation-prefixed) mapped to plain stand-ins, so that
  // mergeBranch does not take values over them for approximations.
  std::vector<std::pair<smt::Expr, smt::Expr>> mergeAsExact;

  Impl(const llvm::Module &m, Memory &mem, ViolationLog &log, FmaMode fma,
       const ExecLimits &limits);

  // Work-group scheduler (WorkGroup.cpp).
  void runGroup(const llvm::Function &kernel, std::vector<Val> args,
                const std::vector<LocalArg> &localArgs,
                const std::vector<const llvm::GlobalVariable *> &statics,
                const uint64_t grp[3]);
  // Runs one work-item from its current state to its next barrier or its
  // end; returns its paths (each stopped at a barrier, returned or dead),
  // their accesses already committed to memory.
  std::vector<Path> runSegment(ItemState &item);
  // False (and a barrier-divergence violation, and `abandoned`) unless all
  // live work-items stopped at one program point.
  bool converge(std::vector<ItemState> &items,
                std::vector<std::vector<Path>> &stopped);
  Path mergePaths(std::vector<Path> &ps, const smt::Expr &pc);
  Val mergeVal(const smt::Expr &c, const Val &a, const Val &b,
               const llvm::Type *t);
  std::string barrierName(const llvm::CallInst *call) const;
  // barrierName, or "sub_group_reduce_add #1 in k" for a sub-group point.
  std::string pointName(const llvm::CallInst *call) const;
  // The work-group part of converge (every live work-item at one point).
  bool convergeGroup(std::vector<ItemState> &items,
                     std::vector<std::vector<Path>> &stopped);

  // Sub-groups (SubGroup.cpp), when the manifest declares their size.
  // Accesses are logged with epochs that are ids of (work-group barriers
  // passed, sub-group, sub-group barriers passed); checkSubGroupRaces
  // orders two by that triple instead of checkRaces' plain comparison.
  std::map<std::array<uint32_t, 3>, uint32_t> epochIds;
  std::vector<std::array<uint32_t, 3>> epochKeys;
  uint32_t epochId(uint32_t groupEpoch, uint32_t subGroup, uint32_t subEpoch);
  void checkSubGroupRaces(std::vector<CellKey> &cells);
  uint32_t subGroupOf(const WorkItemIds &w) const;
  // Sub-group ids, sizes, barrier and collectives (stops the path at a
  // meeting point like barrier; the value comes in resolveSubGroupPoint).
  bool subGroupBuiltin(Path &p, const llvm::CallInst &call,
                       const std::string &mangled, const std::string &name,
                       const std::vector<Val> &a, Val &result);
  // 1: some sub-group passed a sub-group point (run again); 0: divergence
  // within a sub-group (logged, `abandoned` set); -1: every live work-item
  // waits at a work-group barrier or returned (`stopped` restored).
  int convergeSubGroups(std::vector<ItemState> &items,
                        std::vector<std::vector<Path>> &stopped);
  // All work-items [b, e) stopped at `call` and merged: a sub_group_barrier
  // advances their epochs, a collective's result goes to its register.
  void resolveSubGroupPoint(std::vector<ItemState> &items, size_t b, size_t e,
                            const llvm::CallInst *call, uint64_t flags);
  // OpenCL fmin/fmax (IEEE minNum/maxNum; a +0/-0 tie is either).
  Val minMaxNum(const Val &x, const Val &y, bool isMax);

  // Driver (Executor.cpp).
  void run(Path &p);
  void enterBlock(Path &p, const llvm::BasicBlock *to);
  // Moves a stopped path's writes into memory (under its path condition)
  // and its accesses into the race log.
  void commit(Path &p);
  void checkRaces(std::vector<CellKey> &cells);
  // The race loop both checks share: `unordered` gives the reason two
  // accesses are not ordered (appended to the report), nullopt if they are.
  void reportRaces(std::vector<CellKey> &cells,
                   const std::function<std::optional<std::string>(
                       const Access &, const Access &, bool local)> &unordered);

  // Values (Instructions.cpp).
  Val get(Path &p, const llvm::Value *v);
  Val constant(const llvm::Constant *c);
  // One instruction: the build options' and half values' cases
  // (optionStep), else stepInstruction (Instructions.cpp); an unsupported
  // construct's reason gets the instruction's source line
  // (BuildOptionsExec.cpp).
  void step(Path &p, const llvm::Instruction &inst);
  void stepInstruction(Path &p, const llvm::Instruction &inst);
  Val freshFloat(Choice c);
  Val freshInt(Choice c, unsigned width);
  Val freshOf(const llvm::Type *t, Choice c);
  Val unpoison(const Val &v, const llvm::Type *t);

  // Memory (Executor.cpp).
  Val load(Path &p, const Val &ptr, const llvm::Type *t, uint64_t align);
  void store(Path &p, const Val &ptr, const Val &v, const llvm::Type *t,
             uint64_t align);
  // Resolves an access to cells; false (and a violation) if unsafe.
  bool resolve(Path &p, const Val &ptr, uint64_t bytes, uint64_t elemBytes,
               uint64_t align, bool write, int64_t &firstCell);
  // A data-dependent read of a small read-only region (GatherRead.h).
  Val gather(Path &p, const Val &ptr, const llvm::Type *t, uint64_t align);
  Val readCell(Path &p, int region, int64_t idx);
  Val staleValue(int region, int64_t idx);
  std::string cellName(int region, int64_t idx) const;
  void kill(Path &p, ObligationKind k, const std::string &detail,
            const smt::Expr &extra = smt::Expr::boolVal(true));
  std::string where() const;

  // Calls (Builtins.cpp). Returns false if `callee` is not a builtin.
  bool builtin(Path &p, const llvm::CallInst &call, const std::string &name,
               Val &result);

  // Builtins added to the OpenCL coverage (BuiltinsExtra.cpp): mul24,
  // mad24, saturating and explicit-rounding conversions, half loads,
  // stores and conversions, sqrt under -cl-fp32-correctly-rounded-divide-
  // sqrt, llvm.fmuladd under -cl-mad-enable. Called first by builtin().
  bool extraBuiltin(Path &p, const llvm::CallInst &call,
                    const std::string &mangled, const std::string &name,
                    const std::vector<Val> &a, Val &result);
  // Build options and half values around one instruction
  // (BuildOptionsExec.cpp): true if it executed `inst` itself.
  bool optionStep(Path &p, const llvm::Instruction &inst);
  bool inOptionStep = false;
  // -cl-denorms-are-zero: v, or (a nondeterministic choice) v with every
  // subnormal float lane flushed to zero of its sign.
  Val maybeFlush(const Val &v);
  // "file.cl:LINE:COL" of an instruction (debug info), "" if unknown.
  static std::string sourceLoc(const llvm::Instruction &inst);
  // The instruction step() is executing (null outside), and logging a
  // violation with its source location (unless the violation has one).
  const llvm::Instruction *current = nullptr;
  void note(Violation v);
  // The instruction whose source line stands for access `inst` of path
  // `p`: `inst`, or for a store without a line (stores of an if's
  // branches merged by the compiler) the one computing its value on `p`.
  const llvm::Instruction *placeOf(const Path &p,
                                   const llvm::Instruction *inst);
  // An OpenCL builtin's name and parameters from its mangling, e.g.
  // "mul24(int, int)".
  static std::string openclSignature(const std::string &mangled);
  // A data-dependent store into a private array whose cells are all
  // written on the path (PrivateScatter.cpp): each cell becomes the value
  // where the offset names it; out-of-bounds or misaligned offsets are a
  // memory-safety violation. False if it does not apply.
  bool scatterPrivate(Path &p, const Val &ptr, const Val &v,
                      const llvm::Type *t, uint64_t align);
};

} // namespace ksynth::verify
