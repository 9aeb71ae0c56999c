// ForkedCheck (ForkedCheck.h): a solver's check in a killable child.
#include "solver/ForkedCheck.h"
#include "solver/ForkWire.h"

#include "solver/Watchdog.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <new>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ksynth::smt::detail {

namespace {

constexpr uint32_t kMagic = 0x6b73c5a7u;
constexpr int kExitMemout = 97;
constexpr int kExitException = 98;

struct Wire {
  uint32_t status = 2; // SatResult
  std::string seconds, reason, solver, tags, script;
};

bool parse(const std::string &buf, Wire &w) {
  Reader r(buf);
  uint32_t magic = 0, end = 0;
  return r.u32(magic) && magic == kMagic && r.u32(w.status) && w.status <= 2 &&
         r.str(w.seconds) && r.str(w.reason) && r.str(w.solver) &&
         r.str(w.tags) && r.str(w.script) && r.u32(end) && end == kMagic &&
         r.atEnd();
}

[[noreturn]] void runChild(int fd, const ForkedCheck::Body &body,
                           const std::vector<Expr> &assertions, rlim_t cap) {
  ::setpgid(0, 0);
  std::set_new_handler([] { ::_exit(kExitMemout); });
  std::set_terminate([] { ::_exit(kExitException); });
  if (cap != RLIM_INFINITY) {
    struct rlimit rl;
    rl.rlim_cur = cap;
    rl.rlim_max = cap;
    ::setrlimit(RLIMIT_AS, &rl);
  }
  try {
    QueryResult r = body();
    Wire w;
    w.status = static_cast<uint32_t>(r.status);
    w.seconds = std::to_string(r.seconds);
    w.reason = r.reason;
    w.solver = r.solver;
    if (r.status == SatResult::Sat &&
        !modelToScript(r.model, assertions, w.tags, w.script))
      w.tags.clear(), w.script.clear(); // the parent reports the loss
    std::string msg;
    putU32(msg, kMagic);
    putU32(msg, w.status);
    putStr(msg, w.seconds);
    putStr(msg, w.reason);
    putStr(msg, w.solver);
    putStr(msg, w.tags);
    putStr(msg, w.script);
    putU32(msg, kMagic);
    ::_exit(writeAll(fd, msg) ? 0 : 1);
  } catch (const std::bad_alloc &) {
    ::_exit(kExitMemout);
  } catch (...) {
    ::_exit(kExitException);
  }
}

} // namespace

std::unique_ptr<ForkedCheck>
ForkedCheck::start(const Body &body, const std::vector<Expr> &assertions,
                   unsigned memoryMb, const ForkTuning &tuning,
                   std::string &why) {
  rlim_t cap = RLIM_INFINITY;
  if (memoryMb) {
    if (uint64_t vm = addressSpaceBytes())
      cap = static_cast<rlim_t>(
          vm + (static_cast<uint64_t>(memoryMb) + tuning.addressSpaceSlackMb) *
                   (uint64_t(1) << 20));
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    why = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    why = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return nullptr;
  }
  if (pid == 0) {
    ::close(fds[0]);
    runChild(fds[1], body, assertions, cap);
  }
  ::setpgid(pid, pid); // also here: kill() may come before the child's own
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return std::unique_ptr<ForkedCheck>(new ForkedCheck(pid, fds[0]));
}

ForkedCheck::~ForkedCheck() {
  if (!reaped_)
    kill();
  if (fd_ >= 0)
    ::close(fd_);
}

void ForkedCheck::kill() {
  if (reaped_)
    return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, &waitStatus_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  done_ = true;
}

bool ForkedCheck::pump() {
  while (!done_) {
    char chunk[65536];
    ssize_t got = ::read(fd_, chunk, sizeof chunk);
    if (got > 0) {
      buf_.append(chunk, static_cast<size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0 && errno == EAGAIN)
      break;
    finish(); // end of file (or a broken pipe): the child is done
  }
  return done_;
}

void ForkedCheck::finish() {
  Wire w;
  answered_ = parse(buf_, w);
  // The child has written everything and is exiting; a grandchild it left
  // (none normally) dies with the group.
  ::kill(-pid_, SIGKILL);
  while (::waitpid(pid_, &waitStatus_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  done_ = true;
}

QueryResult ForkedCheck::result(const std::vector<Expr> &assertions) {
  QueryResult r;
  Wire w;
  if (!answered_ || !parse(buf_, w)) {
    bool memout =
        WIFEXITED(waitStatus_) && WEXITSTATUS(waitStatus_) == kExitMemout;
    r.reason = memout ? std::string("memout")
                      : "solver process " + describeStatus(waitStatus_);
    return r;
  }
  r.status = static_cast<SatResult>(w.status);
  r.seconds = std::strtod(w.seconds.c_str(), nullptr);
  r.reason = w.reason;
  r.solver = w.solver;
  if (r.status == SatResult::Sat) {
    r.model = w.tags.empty() ? Model()
                             : modelFromScript(w.tags, w.script, assertions);
    // A model that did not survive the trip, or that Z3's evaluation says
    // does not satisfy the query: never a Sat.
    if (r.model.isNull() || r.model.boolean(Expr::andAll(assertions)) !=
                                std::optional<bool>(true)) {
      r.status = SatResult::Unknown;
      r.reason = "invalid model (" + (r.solver.empty() ? "?" : r.solver) + ")";
      r.model = Model();
    }
  }
  return r;
}

QueryResult checkForked(const ForkedCheck::Body &body, const Query &q,
                        unsigned timeoutMs, unsigned memoryMb,
                        const ForkTuning &tuning) {
  using Clock = Watchdog::Clock;
  auto start = Clock::now();
  std::string why;
  std::unique_ptr<ForkedCheck> c =
      ForkedCheck::start(body, q.assertions, memoryMb, tuning, why);
  if (!c)
    return body();
  auto killAt = start + std::chrono::milliseconds(timeoutMs) +
                std::chrono::milliseconds(tuning.graceMs);
  while (!c->pump()) {
    auto now = Clock::now();
    if (now >= killAt) {
      c->kill();
      QueryResult r;
      r.reason = "timeout (killed)";
      r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      return r;
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(killAt - now)
            .count() +
        1;
    struct pollfd pfd;
    pfd.fd = c->fd();
    pfd.events = POLLIN;
    pfd.revents = 0;
    ::poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : int(left));
  }
  QueryResult r = c->result(q.assertions);
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

} // namespace ksynth::smt::detail
