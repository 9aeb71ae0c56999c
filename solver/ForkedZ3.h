// Forked execution of a Z3 check (internal to solver/), KLEE-style: Z3
// 4.8.12 does not always honour an interrupt (fp.to_real over large terms
// expands to millions of nodes without checking for cancellation), so each
// check runs in a child process that can be killed at the deadline.
//
// The child inherits the query's solver in its copy of memory, runs
// Z3_solver_check under an RLIMIT_AS cap and Z3's own memory limit, writes
// the answer (and, for sat, the model as an SMT-LIB script) to a pipe and
// _exits. The parent polls the pipe until the deadline, then SIGKILLs and
// reaps the child. The child calls only Z3 and write/_exit: no Z3 timer
// (Z3's timer threads are pooled and do not exist in the child; a pooled
// timer would spin forever), no watchdog, no atexit handlers or destructors.
#pragma once

#include "solver/Solver.h"
#include "solver/Watchdog.h"

#include <string>
#include <sys/types.h>
#include <vector>
#include <z3.h>

namespace ksynth::smt::detail {

// Knobs of the forked mode (tests adjust them).
struct ForkTuning {
  unsigned graceMs = 10; // the child is killed this long after the deadline
  // RLIMIT_AS of the child: its address space at fork time plus the
  // configured memory plus this slack (Z3's own limit, which counts only
  // Z3's allocations, normally fires first and gives the same "memout" as
  // the in-process mode).
  unsigned addressSpaceSlackMb = 512;
  bool z3MemoryLimit = true; // also set Z3's memory_max_size in the child
};

struct ChildOutcome {
  enum class Kind {
    Answered,   // the child wrote a complete answer
    Killed,     // still running at the deadline: SIGKILLed
    Memout,     // ran out of memory (allocation failure, OOM kill)
    Crashed,    // ended otherwise (detail says how)
    ForkFailed, // no child (fork or pipe failed; detail says why)
  };
  Kind kind = Kind::Crashed;
  Z3_lbool status = Z3_L_UNDEF;
  Z3_error_code error = Z3_OK; // a Z3 error inside the child's check
  std::string errorMessage;
  std::string reasonUnknown; // Z3_solver_get_reason_unknown
  std::string modelTags;     // sat: one tag per assertion of modelScript
  std::string modelScript;   // sat: the model as an SMT-LIB script
  std::string detail;
};

// Children that have written their answer and are exiting: reaped later,
// so that a check does not wait for the kernel to tear the child's memory
// down (about 2 ms); the destructor kills and reaps every one left.
class Reaper {
public:
  Reaper() = default;
  Reaper(const Reaper &) = delete;
  Reaper &operator=(const Reaper &) = delete;
  ~Reaper();
  void adopt(pid_t pid) { pids_.push_back(pid); }
  void reapExited(); // those that have ended, without waiting

private:
  std::vector<pid_t> pids_;
};

// Runs Z3_solver_check(s) in a forked child (see above); `assertions` are
// those asserted in `s`. Kills the child at deadline + graceMs.
ChildOutcome checkInChild(Z3_solver s, const std::vector<Expr> &assertions,
                          Watchdog::Clock::time_point deadline,
                          unsigned memoryMb, const ForkTuning &tuning,
                          Reaper &reaper);

// The child's model rebuilt in this process (a null Model if it cannot be).
Model rebuildModel(const ChildOutcome &o, const std::vector<Expr> &assertions);

// The model transfer on its own (ForkedCheck.h uses it): `m` (without
// renaming) as the tagged script, and back (a null Model if it cannot be).
bool modelToScript(const Model &m, const std::vector<Expr> &assertions,
                   std::string &tags, std::string &script);
Model modelFromScript(const std::string &tags, const std::string &script,
                      const std::vector<Expr> &assertions);

// `m` (a model of `assertions`, without renaming) through the child's
// script and back, in this process (tests of the transfer).
Model roundTripModel(const Model &m, const std::vector<Expr> &assertions);

std::unique_ptr<QuerySolver> makeZ3Solver(const SolverConfig &cfg,
                                          const ForkTuning &tuning);

} // namespace ksynth::smt::detail
