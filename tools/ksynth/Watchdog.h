// The hard deadline of `ksynth verify` (--deadline SEC), enforced from
// outside the verifier: a thread that, if the verification (and its
// self-check) has not finished `grace` seconds after the deadline, kills
// every child process of ksynth (forked Z3 solvers, a PoCL worker and its
// process group), writes the prepared "unknown (timeout)" verdict (text or
// JSON on stdout, JSON to --out through a temporary file and a rename) and
// ends the process with _exit(5). The verifier's own deadline checks
// normally answer first; this bounds the cases where they are not reached
// (a long solver call, a long step inside the executor).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace ksynth::cli {

// Writes `text` to `path` through `path.tmp.PID` and rename(2), so a reader
// never sees a partial file. False (errno set) on failure.
bool writeFileAtomically(const std::string &path, const std::string &text);

// SIGKILL to every child of this process, and to the process group of each
// child that leads one (the runtime's worker), then reaps them.
void killChildProcesses();

// True for the first caller only: the deadline and the memory watchdog
// (MemoryWatchdog.h) call it before ending the process, so only one of them
// writes an answer.
bool claimProcessExit();

class DeadlineWatchdog {
public:
  // What to print at the deadline: `stdoutText` on stdout and, when
  // `outPath` is not empty, `outJson` to that file.
  DeadlineWatchdog(std::chrono::steady_clock::time_point fireAt,
                   std::string stdoutText, std::string outPath,
                   std::string outJson);
  // Stops the watchdog; if it has already fired, never returns (the
  // process is ending).
  ~DeadlineWatchdog() { finish(); }
  void finish();
  // Seconds left before the watchdog fires (>= 0).
  double secondsLeft() const;

  DeadlineWatchdog(const DeadlineWatchdog &) = delete;
  DeadlineWatchdog &operator=(const DeadlineWatchdog &) = delete;

private:
  void run();

  std::chrono::steady_clock::time_point fireAt_;
  std::string stdoutText_, outPath_, outJson_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

} // namespace ksynth::cli
