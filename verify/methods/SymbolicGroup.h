// The symbolic work-group method: for a single-launch kernel whose
// work-items communicate through barriers and __local memory, at a shape
// too large to enumerate, ONE arbitrary work-group is verified: its group
// ids are bit-vector variables below the number of groups, its local ids
// concrete, and its work-items run in lockstep barrier interval by barrier
// interval as in the enumeration (verify/exec/WorkGroup.cpp), so barrier
// divergence, __local races and reads of unwritten __local cells are
// checked on concrete __local cells. Global buffers are SMT arrays, as in
// the symbolic work-item method (verify/methods/SymbolicItem.h), whose
// discharge (memory safety, uninitialised reads, coverage by inverting affine
// store addresses in the group ids, equivalence of every final store with the
// reference element at its index) is reused. Races on global memory:
// within the group, two of its work-items in one barrier interval (epochs
// of CLK_GLOBAL_MEM_FENCE barriers); across groups, two runs of the group
// with distinct group-id variables (GPUVerify's two-arbitrary-groups
// argument). verify/ internals.
#pragma once

#include "verify/discharge/ShapeRun.h"
#include "verify/exec/Executor.h"
#include "verify/methods/SymbolicItem.h"

#include <functional>
#include <string>
#include <vector>

namespace llvm {
class Function;
}

namespace ksynth::verify {

// Whether `kernel` (or a function it calls) calls barrier().
bool usesBarrier(const llvm::Function &kernel);

// The group's accesses as paths for the store obligations (coverage and
// equivalence): one path per (work-item, interval, path) with its accesses,
// where no write of a later interval of the same work-item, or of another
// work-item in a later global-fence epoch, may overwrite one of its stores
// (`mayHold` answers whether a condition may hold; true when unsure);
// otherwise one path per store, whose condition says that no later write
// of the group overwrites it. (Two work-items' writes to one element in one
// epoch are a race, discharged before.)
std::vector<SymbolicPath>
groupStorePaths(const SymbolicGroupRun &g,
                const std::function<bool(const smt::Expr &)> &mayHold);

// A pair of global accesses that race where `cond` holds (for two runs of
// the group, with distinct group ids as well).
struct GroupRacePair {
  const GroupAccess *x = nullptr; // a write
  const GroupAccess *y = nullptr; // a write (write-write) or a read
  smt::Expr cond;
};

// Within the group (`b` null): a write of one work-item and an access of
// another in the same global-fence epoch. Across groups: a write of run
// `a` and an access of run `b`.
std::vector<GroupRacePair> groupRacePairs(const SymbolicGroupRun &a,
                                          const SymbolicGroupRun *b, bool ww);

// A work-item's local id as text: "5" or "(1,2)".
std::string localItemText(const Geometry &g, uint32_t item);

// The one-launch kernel as one arbitrary work-group (and two for races
// across groups) at run.shape; as verifySymbolicShape otherwise
// (verify/methods/SymbolicItem.cpp).
SymbolicOutcome verifySymbolicGroupShape(
    const spec::Spec &s, Executor &ex, const llvm::Function &kernel,
    const std::vector<Val> &args, const Geometry &geom,
    const std::vector<LocalArg> &localArgs, const std::string &label,
    ShapeRun &run, const VerifyOptions &opts, smt::QuerySolver &solver,
    std::vector<ObligationResult> &results);

} // namespace ksynth::verify
