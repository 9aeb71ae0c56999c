// The hard memory cap: see MemoryWatchdog.h.
#include "MemoryWatchdog.h"
#include "Watchdog.h"

#include "support/Error.h"
#include "support/ProcessMemory.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace ksynth::cli {

namespace {

constexpr std::chrono::milliseconds kPoll(10);

std::string withResident(std::string text, uint64_t bytes) {
  std::string mb = std::to_string(bytes >> 20);
  for (size_t at = text.find(kResidentToken); at != std::string::npos;
       at = text.find(kResidentToken, at + mb.size()))
    text.replace(at, std::strlen(kResidentToken), mb);
  return text;
}

void writeAll(int fd, const std::string &s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t w = ::write(fd, s.data() + done, s.size() - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    done += static_cast<size_t>(w);
  }
}

} // namespace

uint64_t defaultMemoryCapBytes() {
  return std::max<uint64_t>(uint64_t(1) << 30, physicalBytes() / 2);
}

MemoryWatchdog::MemoryWatchdog(uint64_t capBytes, std::string stdoutText,
                               std::string stderrText, std::string outPath,
                               std::string outJson)
    : cap_(capBytes), stdoutText_(std::move(stdoutText)),
      stderrText_(std::move(stderrText)), outPath_(std::move(outPath)),
      outJson_(std::move(outJson)) {
  thread_ = std::thread([this] { run(); });
}

uint64_t MemoryWatchdog::peakBytes() {
  std::lock_guard<std::mutex> lock(mu_);
  return peak_;
}

void MemoryWatchdog::finish() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (done_ && !thread_.joinable())
      return;
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void MemoryWatchdog::run() {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t used = 0;
  while (!done_) {
    used = treeResidentBytes();
    peak_ = std::max(peak_, used);
    if (used > cap_)
      break;
    cv_.wait_for(lock, kPoll);
  }
  if (done_)
    return;
  // Over the cap: the lock stays held, so finish() blocks until the
  // process ends here.
  if (!claimProcessExit())
    for (;;)
      ::pause(); // the deadline watchdog is ending the process
  killChildProcesses();
  if (!outPath_.empty() &&
      !writeFileAtomically(outPath_, withResident(outJson_, used)))
    writeAll(2, "ksynth: cannot write " + outPath_ + ": " +
                    std::strerror(errno) + "\n");
  std::fflush(stdout);
  writeAll(2, withResident(stderrText_, used));
  writeAll(1, withResident(stdoutText_, used));
  ::_exit(toInt(ExitCode::Unknown));
}

} // namespace ksynth::cli
