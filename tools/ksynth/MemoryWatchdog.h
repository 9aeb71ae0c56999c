// The hard memory cap of `ksynth verify`, `run` and `bench`
// (--max-memory MB, issue 17), enforced from outside the work like the
// deadline (Watchdog.h): a thread that every 10 ms adds up the resident
// memory of ksynth and of every process it started (forked Z3 solvers, the
// OpenCL worker with PoCL's device buffers, which live in host memory) and,
// once the sum passes the cap, kills those processes, writes the prepared
// answer (verify: the verdict "unknown (too-large)", JSON to --out through
// a temporary file and a rename; run/bench: a "too-large" report) and ends
// the process with _exit(5), so that the kernel's out-of-memory killer is
// never what ends a run. The work's own checks (the verifier's memory
// polls, the runtime's estimate before a job) normally answer first.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace ksynth::cli {

// In the prepared texts, replaced by the resident megabytes measured when
// the watchdog fires.
inline constexpr const char *kResidentToken = "@RESIDENT_MB@";

// The default --max-memory: half of physical memory, at least 1 GiB.
uint64_t defaultMemoryCapBytes();

class MemoryWatchdog {
public:
  MemoryWatchdog(uint64_t capBytes, std::string stdoutText,
                 std::string stderrText, std::string outPath,
                 std::string outJson);
  // Stops the watchdog; if it has already fired, never returns.
  ~MemoryWatchdog() { finish(); }
  void finish();
  // The largest sum it has measured, in bytes.
  uint64_t peakBytes();

  MemoryWatchdog(const MemoryWatchdog &) = delete;
  MemoryWatchdog &operator=(const MemoryWatchdog &) = delete;

private:
  void run();

  uint64_t cap_;
  std::string stdoutText_, stderrText_, outPath_, outJson_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  uint64_t peak_ = 0;
  std::thread thread_;
};

} // namespace ksynth::cli
