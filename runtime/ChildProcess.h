// A child process in its own process group, with a deadline and resource
// limits. The destructor kills the whole group (SIGKILL) and reaps the child
// if it is still running, so no worker outlives its owner.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::runtime {

struct ChildLimits {
  // RLIMIT_AS in bytes; 0 = none. GPU drivers reserve huge virtual address
  // ranges, so this stays 0 unless the device is known to be a CPU.
  uint64_t addressSpaceBytes = 0;
  // RLIMIT_CPU in seconds (SIGXCPU, then SIGKILL); 0 = none.
  uint64_t cpuSeconds = 0;
  // RLIMIT_FSIZE in bytes; 0 = none.
  uint64_t fileSizeBytes = 0;
  bool noCoreDumps = true;
};

struct ChildExit {
  enum class How { Exited, Signaled, Killed } how = How::Exited;
  int code = 0;   // Exited: exit status
  int signal = 0; // Signaled: the signal
  double seconds = 0;
};

class ChildProcess {
public:
  // Starts argv[0] (a path) with stdin from /dev/null and stdout/stderr
  // redirected to the given files. Throws std::runtime_error if it cannot
  // fork; an exec failure shows as exit status 127.
  ChildProcess(const std::vector<std::string> &argv,
               const std::string &stdoutPath, const std::string &stderrPath,
               const ChildLimits &limits);
  ~ChildProcess();
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  // Waits until the child exits or `seconds` pass; then kills its process
  // group with SIGKILL and reports How::Killed.
  ChildExit wait(double seconds);
  pid_t pid() const { return pid_; }

private:
  void killGroup();
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// "SIGSEGV" for 11, etc.
std::string signalName(int sig);

} // namespace ksynth::runtime
