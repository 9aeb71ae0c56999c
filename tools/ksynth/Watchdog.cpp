// The hard deadline of `ksynth verify`: see Watchdog.h.
#include "Watchdog.h"

#include "support/Error.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ksynth::cli {

bool writeFileAtomically(const std::string &path, const std::string &text) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      errno = e;
      return false;
    }
    done += static_cast<size_t>(w);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    errno = e;
    return false;
  }
  return true;
}

namespace {

// Children of this process, from /proc/PID/stat (field 4 is the parent).
std::vector<pid_t> childPids() {
  std::vector<pid_t> out;
  pid_t self = ::getpid();
  DIR *d = ::opendir("/proc");
  if (!d)
    return out;
  while (struct dirent *e = ::readdir(d)) {
    char *end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (!end || *end || pid <= 0)
      continue;
    std::string path = std::string("/proc/") + e->d_name + "/stat";
    FILE *f = std::fopen(path.c_str(), "r");
    if (!f)
      continue;
    char buf[512];
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const char *close = std::strrchr(buf, ')');
    char state = 0;
    long ppid = 0;
    if (close && std::sscanf(close + 1, " %c %ld", &state, &ppid) == 2 &&
        ppid == self)
      out.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(d);
  return out;
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

bool claimProcessExit() {
  static std::atomic<bool> claimed{false};
  return !claimed.exchange(true);
}

void killChildProcesses() {
  // Again until none is left: a child forked while the first scan ran
  // (this process keeps running while we scan) is caught by the next.
  for (int round = 0; round < 5; ++round) {
    std::vector<pid_t> kids = childPids();
    if (kids.empty())
      return;
    for (pid_t c : kids) {
      // A child that leads its own group (the runtime's worker, with
      // PoCL's threads and anything it forked): the whole group. Others
      // (forked Z3 solvers) are in ksynth's group: the child alone.
      if (::getpgid(c) == c)
        ::kill(-c, SIGKILL);
      ::kill(c, SIGKILL);
    }
    for (pid_t c : kids) {
      int status = 0;
      while (::waitpid(c, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
}

DeadlineWatchdog::DeadlineWatchdog(std::chrono::steady_clock::time_point fireAt,
                                   std::string stdoutText, std::string outPath,
                                   std::string outJson)
    : fireAt_(fireAt), stdoutText_(std::move(stdoutText)),
      outPath_(std::move(outPath)), outJson_(std::move(outJson)) {
  thread_ = std::thread([this] { run(); });
}

double DeadlineWatchdog::secondsLeft() const {
  double s =
      std::chrono::duration<double>(fireAt_ - std::chrono::steady_clock::now())
          .count();
  return s > 0 ? s : 0;
}

void DeadlineWatchdog::finish() {
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

void DeadlineWatchdog::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!done_) {
    if (cv_.wait_until(lock, fireAt_) == std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= fireAt_)
      break;
  }
  if (done_)
    return;
  // Fired: the lock stays held, so finish() (the main thread done after
  // all) blocks until the process ends here.
  if (!claimProcessExit())
    for (;;)
      ::pause(); // the memory watchdog is ending the process
  killChildProcesses();
  if (!outPath_.empty() && !writeFileAtomically(outPath_, outJson_))
    writeAll(2, "ksynth: cannot write " + outPath_ + ": " +
                    std::strerror(errno) + "\n");
  std::fflush(stdout);
  writeAll(1, stdoutText_);
  ::_exit(toInt(ExitCode::Unknown));
}

} // namespace ksynth::cli
