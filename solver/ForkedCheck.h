// A QueryResult computed in a forked child (internal to solver/): the cvc5
// back end and the portfolio run a solver this way, so that it can be
// killed at its deadline, or as soon as another solver has answered.
//
// The child becomes the leader of its own process group (so that killing
// the group also ends any grandchild the body forks, e.g. a forked Z3
// check), caps RLIMIT_AS, runs the body, writes the result (the model as
// the SMT-LIB script of ForkedZ3.h) to a pipe and _exits. The parent reads
// it with pump() (non-blocking; poll on fd()) and rebuilds the model
// against the query's own declarations.
#pragma once

#include "solver/ForkedZ3.h"
#include "solver/Solver.h"

#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>

namespace ksynth::smt::detail {

class ForkedCheck {
public:
  using Body = std::function<QueryResult()>;
  // Forks a child running `body` (a null pointer if fork or pipe failed;
  // `why` says which). `assertions`: the query's, for the model transfer.
  static std::unique_ptr<ForkedCheck>
  start(const Body &body, const std::vector<Expr> &assertions,
        unsigned memoryMb, const ForkTuning &tuning, std::string &why);
  ForkedCheck(const ForkedCheck &) = delete;
  ForkedCheck &operator=(const ForkedCheck &) = delete;
  ~ForkedCheck(); // kills the process group and reaps, if still running

  int fd() const { return fd_; }
  // Reads what the pipe holds now; true once the child has answered or
  // ended (then result() is ready).
  bool pump();
  bool done() const { return done_; }
  // The child's result (done() only): its answer, or Unknown with a reason
  // ("memout", "solver process killed by signal 9 ...").
  QueryResult result(const std::vector<Expr> &assertions);
  // SIGKILLs the child's process group and reaps the child.
  void kill();

private:
  ForkedCheck(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  void finish(); // reaps after end of file

  pid_t pid_;
  int fd_;
  std::string buf_;
  bool done_ = false, answered_ = false, reaped_ = false;
  int waitStatus_ = 0;
};

// Runs `body` in a forked child until it answers or `timeoutMs` (+ grace)
// has passed (then "timeout (killed)"); in this process if no child can be
// forked.
QueryResult checkForked(const ForkedCheck::Body &body, const Query &q,
                        unsigned timeoutMs, unsigned memoryMb,
                        const ForkTuning &tuning);

} // namespace ksynth::smt::detail
