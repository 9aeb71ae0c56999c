#include "runtime/Worker.h"

#include "runtime/ChildProcess.h"
#include "support/Error.h"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace ksynth::runtime {

namespace fs = std::filesystem;

namespace {

std::string readText(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string tail(const std::string &s, size_t lines = 12) {
  std::vector<std::string> all;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);)
    all.push_back(line);
  std::string t;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size();
       ++i)
    t += (t.empty() ? "" : "\n") + all[i];
  return t;
}

std::string formatSeconds(double s) {
  char buf[32];
  if (s == std::floor(s))
    std::snprintf(buf, sizeof buf, "%.0f", s);
  else
    std::snprintf(buf, sizeof buf, "%.3g", s);
  return buf;
}

WorkerOutcome runArgs(const std::vector<std::string> &args,
                      const std::string &resultPath, const TempDir &dir,
                      const WorkerOptions &opt) {
  ChildLimits limits;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  limits.cpuSeconds =
      opt.cpuSeconds ? opt.cpuSeconds
                     : static_cast<uint64_t>(opt.timeoutSeconds * cores) + 10;
  limits.addressSpaceBytes = opt.addressSpaceBytes;
  limits.fileSizeBytes = uint64_t(16) << 30;
  WorkerOutcome out;
  ChildExit ex;
  {
    ChildProcess child(args, dir.file("stdout.txt"), dir.file("stderr.txt"),
                       limits);
    ex = child.wait(opt.timeoutSeconds);
  }
  out.seconds = ex.seconds;
  out.stderrTail = tail(readText(dir.file("stderr.txt")));
  switch (ex.how) {
  case ChildExit::How::Killed:
    out.status = WorkerOutcome::Status::Killed;
    out.message =
        "killed after " + formatSeconds(opt.timeoutSeconds) + " s deadline";
    return out;
  case ChildExit::How::Signaled:
    out.status = WorkerOutcome::Status::Crashed;
    out.message = "worker crashed: signal " + std::to_string(ex.signal) + " (" +
                  signalName(ex.signal) + ")";
    if (ex.signal == SIGXCPU)
      out.message += ": CPU time limit exceeded";
    return out;
  case ChildExit::How::Exited:
    break;
  }
  if (ex.code == 127 || ex.code == 126) {
    out.message = "cannot start the worker " + args[0] + " (exit status " +
                  std::to_string(ex.code) + ")";
    return out;
  }
  if (!fs::exists(resultPath)) {
    out.message = "worker exited with status " + std::to_string(ex.code) +
                  " and wrote no result";
    return out;
  }
  try {
    out.result = nlohmann::json::parse(readText(resultPath));
  } catch (const nlohmann::json::exception &e) {
    out.message = std::string("worker wrote a malformed result: ") + e.what();
    return out;
  }
  out.status = WorkerOutcome::Status::Ok;
  return out;
}

} // namespace

std::string findWorker() {
  if (const char *env = std::getenv("KSYNTH_WORKER"); env && *env) {
    if (::access(env, X_OK) != 0)
      throw UserError(ExitCode::Failed, std::string("KSYNTH_WORKER=") + env +
                                            " is not an executable file");
    return env;
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    fs::path d = self.parent_path();
    candidates = {d / "ksynth-worker", d / "../runtime/worker/ksynth-worker",
                  d / "../../runtime/worker/ksynth-worker",
                  d / "../libexec/ksynth-worker"};
  }
#ifdef KSYNTH_WORKER_PATH
  candidates.push_back(KSYNTH_WORKER_PATH);
#endif
  for (const fs::path &p : candidates)
    if (::access(p.c_str(), X_OK) == 0)
      return fs::weakly_canonical(p, ec).string();
  throw UserError(ExitCode::Failed,
                  "cannot find ksynth-worker next to " + self.string() +
                      " (build the ksynth-worker target, or set "
                      "KSYNTH_WORKER)");
}

WorkerOutcome runWorker(const nlohmann::json &job, const TempDir &dir,
                        const WorkerOptions &opt) {
  std::string worker = opt.workerPath.empty() ? findWorker() : opt.workerPath;
  std::string jobPath = dir.file("job.json"),
              resultPath = dir.file("result.json");
  {
    std::ofstream f(jobPath, std::ios::binary);
    f << job.dump();
    if (!f)
      throw UserError(ExitCode::Failed, "cannot write " + jobPath);
  }
  return runArgs({worker, jobPath, resultPath}, resultPath, dir, opt);
}

WorkerOutcome listDevicesWithWorker(const WorkerOptions &opt) {
  std::string worker = opt.workerPath.empty() ? findWorker() : opt.workerPath;
  TempDir dir;
  std::string resultPath = dir.file("result.json");
  return runArgs({worker, "--devices", resultPath}, resultPath, dir, opt);
}

} // namespace ksynth::runtime
