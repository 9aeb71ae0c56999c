#include "runtime/ChildProcess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ksynth::runtime {

namespace {

void setLimit(int resource, uint64_t value) {
  struct rlimit rl;
  rl.rlim_cur = static_cast<rlim_t>(value);
  rl.rlim_max = static_cast<rlim_t>(value);
  ::setrlimit(resource, &rl);
}

} // namespace

std::string signalName(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGABRT:
    return "SIGABRT";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  case SIGKILL:
    return "SIGKILL";
  case SIGTERM:
    return "SIGTERM";
  case SIGXCPU:
    return "SIGXCPU";
  case SIGXFSZ:
    return "SIGXFSZ";
  case SIGPIPE:
    return "SIGPIPE";
  default:
    return "signal " + std::to_string(sig);
  }
}

ChildProcess::ChildProcess(const std::vector<std::string> &argv,
                           const std::string &stdoutPath,
                           const std::string &stderrPath,
                           const ChildLimits &limits) {
  // Everything the child needs is prepared before fork(): after it, the
  // child calls only async-signal-safe functions.
  std::vector<char *> args;
  for (const std::string &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  const char *out = stdoutPath.c_str();
  const char *err = stderrPath.c_str();
  pid_ = ::fork();
  if (pid_ < 0)
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    ::setpgid(0, 0);
    if (limits.noCoreDumps)
      setLimit(RLIMIT_CORE, 0);
    if (limits.cpuSeconds)
      setLimit(RLIMIT_CPU, limits.cpuSeconds);
    if (limits.addressSpaceBytes)
      setLimit(RLIMIT_AS, limits.addressSpaceBytes);
    if (limits.fileSizeBytes)
      setLimit(RLIMIT_FSIZE, limits.fileSizeBytes);
    int in = ::open("/dev/null", O_RDONLY);
    int o = ::open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || o < 0 || e < 0)
      ::_exit(126);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid_, pid_); // also here, so the group exists before any kill
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) {
    killGroup();
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

void ChildProcess::killGroup() {
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
}

ChildExit ChildProcess::wait(double seconds) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  auto deadline = start + std::chrono::duration_cast<clock::duration>(
                              std::chrono::duration<double>(seconds));
  auto pause = std::chrono::microseconds(500);
  ChildExit ex;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      ex.seconds = std::chrono::duration<double>(clock::now() - start).count();
      if (WIFSIGNALED(status)) {
        ex.how = ChildExit::How::Signaled;
        ex.signal = WTERMSIG(status);
      } else {
        ex.how = ChildExit::How::Exited;
        ex.code = WEXITSTATUS(status);
      }
      return ex;
    }
    if (r < 0 && errno != EINTR)
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    if (clock::now() >= deadline) {
      killGroup();
      int st = 0;
      while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
      }
      reaped_ = true;
      ex.how = ChildExit::How::Killed;
      ex.seconds = std::chrono::duration<double>(clock::now() - start).count();
      return ex;
    }
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(20))
      pause *= 2;
  }
}

} // namespace ksynth::runtime
