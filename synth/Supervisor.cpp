// The supervisor's rounds (Supervisor.h): propose, verify in child
// processes, time the proven, rank, feed back.
#include "synth/Supervisor.h"

#include "runtime/ChildProcess.h"
#include "spec/Manifest.h"
#include "support/Error.h"
#include "verify/compile/Compile.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <signal.h>
#include <sstream>
#include <thread>

namespace ksynth::synth {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

void writeFile(const fs::path &p, const std::string &text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
  if (!f)
    throw UserError(ExitCode::InputError, "cannot write " + p.string());
}

std::string readHead(const fs::path &p, size_t lines) {
  std::ifstream f(p);
  std::string r, line;
  for (size_t i = 0; i < lines && std::getline(f, line); ++i)
    r += (i ? "\n" : "") + line;
  return r;
}

// The deciding level(s) of the equivalence obligations whose status is
// `status`, e.g. "structural" or "bit-exact+rounding".
std::string levelOf(const nlohmann::json &v, const std::string &status) {
  std::set<std::string> levels;
  for (const auto &o : v.value("obligations", nlohmann::json::array()))
    if (o.value("name", "") == "equivalence" &&
        o.value("status", "") == status && o.contains("level") &&
        o.at("level").is_string())
      levels.insert(o.at("level").get<std::string>());
  std::string r;
  for (const std::string &l : levels)
    r += (r.empty() ? "" : "+") + l;
  return r;
}

std::mutex gActiveMutex;
std::set<pid_t> gActive; // verify children running now

} // namespace

Supervisor::Supervisor(Problem problem, SupervisorOptions opt)
    : problem_(std::move(problem)), opt_(std::move(opt)) {}

void Supervisor::addGenerator(std::unique_ptr<Generator> g) {
  gens_.push_back(std::move(g));
}

void Supervisor::preload(std::vector<Outcome> earlier) {
  preloaded_ = std::move(earlier);
}

void Supervisor::verifyOne(Outcome &o) {
  fs::path dir = fs::path(opt_.outDir) / o.dir;
  fs::path verdictPath = dir / "verdict.json";
  std::error_code ec;
  fs::remove(verdictPath, ec);
  uint64_t capMb = std::max<uint64_t>(1024, (opt_.maxMemoryBytes >> 20) /
                                                std::max(1, opt_.jobs));
  char deadline[32];
  std::snprintf(deadline, sizeof deadline, "%g", opt_.verifyDeadline);
  std::vector<std::string> argv = {opt_.ksynthPath,
                                   "verify",
                                   fs::absolute(problem_.specPath).string(),
                                   (dir / "manifest.json").string(),
                                   "--json",
                                   "--out",
                                   verdictPath.string(),
                                   "--deadline",
                                   deadline,
                                   "--max-memory",
                                   std::to_string(capMb)};
  argv.insert(argv.end(), opt_.verifyArgs.begin(), opt_.verifyArgs.end());
  runtime::ChildLimits lim;
  auto t0 = Clock::now();
  runtime::ChildExit ex;
  {
    runtime::ChildProcess child(argv, (dir / "verify.out").string(),
                                (dir / "verify.err").string(), lim);
    {
      std::lock_guard<std::mutex> g(gActiveMutex);
      gActive.insert(child.pid());
    }
    // The child's own --deadline answers first; this is the backstop.
    ex = child.wait(opt_.verifyDeadline + 15);
    std::lock_guard<std::mutex> g(gActiveMutex);
    gActive.erase(child.pid());
  }
  o.verifySeconds = std::chrono::duration<double>(Clock::now() - t0).count();
  o.verifyExit = ex.how == runtime::ChildExit::How::Exited ? ex.code : -1;
  if (opt_.stop && opt_.stop->load() &&
      ex.how != runtime::ChildExit::How::Exited) {
    o.verdict = "interrupted";
    o.reason = "stopped by SIGINT before the verifier answered";
    return;
  }
  nlohmann::json v;
  if (fs::exists(verdictPath)) {
    try {
      v = spec::readJsonFile(verdictPath.string());
    } catch (const std::exception &) {
    }
  }
  if (v.is_object() && v.contains("verdict")) {
    o.verdict = v.value("verdict", "error");
    o.reason = v.value("reason", "");
    // Only a "proved" document with exit 0 is a proof (exit 6 is a proof
    // the self-check contradicted, with a bug report: never proved).
    if (o.verdict == "proved" && o.verifyExit != 0) {
      o.verdict = "error";
      o.reason = "verify wrote a proof but exited " +
                 std::to_string(o.verifyExit) + ": " +
                 readHead(dir / "verify.err", 1);
      o.compileError = readHead(dir / "verify.err", 20);
      return;
    }
    o.unknownKind = v.value("unknown_kind", "");
    if (o.verdict == "proved") {
      o.level = levelOf(v, "proved");
    } else if (o.verdict == "refuted") {
      o.level = levelOf(v, "refuted");
      o.counterexample = v.value("counterexample", nlohmann::json());
      o.reason = o.counterexample.value("obligation", "") + ": " +
                 o.counterexample.value("detail", "");
    }
    if (o.verdict == "error")
      o.compileError = readHead(dir / "verify.err", 20);
    return;
  }
  // No verdict document: the exit code says what happened.
  if (ex.how == runtime::ChildExit::How::Killed) {
    o.verdict = "unknown";
    o.unknownKind = "timeout";
    o.reason = "verify did not answer within its deadline";
  } else if (ex.how == runtime::ChildExit::How::Signaled) {
    o.verdict = "error";
    o.reason = "verify died of " + runtime::signalName(ex.signal);
  } else if (ex.code == 5) {
    o.verdict = "unknown";
    o.reason = readHead(dir / "verify.err", 1);
  } else {
    o.verdict = "error";
    o.compileError = readHead(dir / "verify.err", 20);
    o.reason = readHead(dir / "verify.err", 1);
  }
}

void Supervisor::verifyBatch(std::vector<Outcome *> batch) {
  std::atomic<size_t> next{0};
  std::atomic<int> running{0};
  std::vector<std::thread> pool;
  int n = std::max(1, std::min<int>(opt_.jobs, int(batch.size())));
  running = n;
  for (int t = 0; t < n; ++t)
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < batch.size();) {
        if (opt_.stop && opt_.stop->load()) {
          batch[i]->verdict = "interrupted";
          batch[i]->reason = "stopped by SIGINT before verification";
          continue;
        }
        try {
          verifyOne(*batch[i]);
        } catch (const std::exception &e) {
          batch[i]->verdict = "error";
          batch[i]->reason = e.what();
        }
      }
      --running;
    });
  bool killed = false;
  while (running > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!killed && opt_.stop && opt_.stop->load()) {
      killed = true;
      std::lock_guard<std::mutex> g(gActiveMutex);
      for (pid_t p : gActive)
        ::kill(-p, SIGKILL);
    }
  }
  for (auto &t : pool)
    t.join();
}

void Supervisor::time(Outcome &o) {
  fs::path manifest = fs::path(opt_.outDir) / o.dir / "manifest.json";
  try {
    spec::Manifest m = spec::parseManifestFile(manifest.string(), spec());
    runtime::ProgramImage img =
        runtime::programImage(m, verify::compileToBitcode(m));
    runtime::RunOptions check;
    check.device = opt_.bench.device;
    check.maxMemoryBytes = opt_.bench.maxMemoryBytes;
    runtime::BenchReport r =
        runtime::benchCandidate(spec(), m, img, opt_.bench, check);
    o.timing = r.verdict == "timed" ? "timed" : r.verdict;
    o.timingNote = r.message;
    if (r.verdict == "timed") {
      o.medianUs = r.medianUs;
      o.minUs = r.minUs;
      o.iqrUs = r.iqrUs;
      o.stddevUs = r.stddevUs;
      if (r.copyGBps > 0)
        problem_.copyGBps = r.copyGBps;
      if (r.peakGflops > 0)
        problem_.peakGflops = r.peakGflops;
    }
  } catch (const std::exception &e) {
    o.timing = "error";
    o.timingNote = e.what();
  }
}

void rank(SynthResult &r, double pytorchEagerUs) {
  r.best = r.naive = -1;
  for (size_t i = 0; i < r.outcomes.size(); ++i) {
    const Outcome &o = r.outcomes[i];
    if (o.cand.baseline && o.proved() && r.naive < 0)
      r.naive = int(i);
    if (o.proved() && o.timed() && !o.unverified &&
        (r.best < 0 || o.medianUs < r.outcomes[r.best].medianUs))
      r.best = int(i);
  }
  double naiveUs = r.naive >= 0 && r.outcomes[r.naive].timed()
                       ? r.outcomes[r.naive].medianUs
                       : 0;
  for (Outcome &o : r.outcomes) {
    o.speedupNaive =
        o.timed() && naiveUs > 0 && o.medianUs > 0 ? naiveUs / o.medianUs : 0;
    o.speedupPytorch = o.timed() && pytorchEagerUs > 0 && o.medianUs > 0
                           ? pytorchEagerUs / o.medianUs
                           : 0;
  }
  r.proved = r.refuted = r.unknown = r.errors = r.timed = 0;
  for (const Outcome &o : r.outcomes) {
    r.proved += o.verdict == "proved";
    r.refuted += o.verdict == "refuted";
    r.unknown += o.verdict == "unknown";
    r.errors += o.verdict == "error";
    r.timed += o.timed();
  }
}

void Supervisor::status(const SynthResult &r, bool final) {
  if (!opt_.log)
    return;
  char buf[256];
  std::string best = "none";
  if (r.best >= 0) {
    const Outcome &b = r.outcomes[r.best];
    char t[96];
    std::snprintf(t, sizeof t, "%s %.1f us", b.cand.id.c_str(), b.medianUs);
    best = t;
    if (b.speedupNaive > 0) {
      std::snprintf(t, sizeof t, " (%.2fx naive)", b.speedupNaive);
      best += t;
    }
  }
  std::snprintf(buf, sizeof buf,
                "proposed %zu, proved %d, refuted %d, unknown %d, errors %d, "
                "timed %d; best %s",
                r.outcomes.size(), r.proved, r.refuted, r.unknown, r.errors,
                r.timed, best.c_str());
  if (opt_.statusLine)
    std::fprintf(stderr, "\r\033[K[synth] %s%s", buf, final ? "\n" : "");
  else if (final)
    opt_.log(std::string("synth: ") + buf);
}

void Supervisor::emit(Outcome &o) {
  fs::path manifest = fs::path(opt_.outDir) / o.dir / "manifest.json";
  spec::Manifest m = spec::parseManifestFile(manifest.string(), spec());
  runtime::ProgramImage img =
      runtime::programImage(m, verify::compileToBitcode(m));
  fs::create_directories(fs::path(opt_.emitRound) / "jobs");
  fs::path copy = fs::path(opt_.emitRound) / "candidates" / o.cand.id;
  fs::create_directories(copy);
  fs::copy_file(fs::path(opt_.outDir) / o.dir / "kernel.cl", copy / "kernel.cl",
                fs::copy_options::overwrite_existing);
  fs::copy_file(manifest, copy / "manifest.json",
                fs::copy_options::overwrite_existing);
  writeFile(fs::path(opt_.emitRound) / "jobs" / (o.cand.id + ".json"),
            runtime::benchJob(spec(), m, img, opt_.bench).dump() + "\n");
  o.timing = "emitted";
  o.timingNote = "bench job " + o.cand.id +
                 ".json written for the device "
                 "machine (--emit-round)";
}

namespace {

std::string describe(const Outcome &o) {
  std::string s = o.cand.id + " " + o.cand.generator + " " + o.cand.kind + " " +
                  o.cand.params.dump() + ": " + o.verdict;
  if (!o.level.empty())
    s += " (" + o.level + ")";
  char t[64];
  std::snprintf(t, sizeof t, " in %.1f s", o.verifySeconds);
  s += t;
  if (!o.reason.empty() && o.verdict != "proved")
    s += " [" + o.reason.substr(0, 160) + "]";
  if (o.timed()) {
    std::snprintf(t, sizeof t, "; %.1f us (IQR %.1f)", o.medianUs, o.iqrUs);
    s += t;
    if (o.unverified)
      s += " UNVERIFIED";
  } else if (o.timing != "not-timed" || o.proved()) {
    s += "; " + o.timing +
         (o.timingNote.empty() ? "" : ": " + o.timingNote.substr(0, 160));
  }
  return s;
}

} // namespace

SynthResult Supervisor::run(const RoundHook &afterRound) {
  auto t0 = Clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  auto stopped = [&] { return opt_.stop && opt_.stop->load(); };
  SynthResult r;
  std::set<std::string> seen;
  for (Outcome &o : preloaded_) {
    for (auto &g : gens_)
      if (g->name() == o.cand.generator)
        g->observe(o);
    seen.insert(o.hash);
    r.outcomes.push_back(o);
  }
  const size_t preloaded = preloaded_.size();
  const size_t perRound = size_t(std::max(4, opt_.jobs * 2));
  int nextId = int(r.outcomes.size());
  for (;;) {
    if (stopped()) {
      r.interrupted = true;
      r.stopReason = "interrupted (SIGINT)";
      break;
    }
    if (opt_.budgetSeconds > 0 && elapsed() >= opt_.budgetSeconds) {
      r.stopReason =
          "budget of " + std::to_string(int(opt_.budgetSeconds)) + " s reached";
      break;
    }
    size_t done = r.outcomes.size() - preloaded;
    if (opt_.maxCandidates && done >= opt_.maxCandidates) {
      r.stopReason =
          "--candidates " + std::to_string(opt_.maxCandidates) + " reached";
      break;
    }
    size_t room = perRound;
    if (opt_.maxCandidates)
      room = std::min(room, opt_.maxCandidates - done);
    std::vector<Outcome> fresh;
    std::string fatal;
    for (size_t gi = 0; gi < gens_.size() && fatal.empty(); ++gi) {
      auto &g = gens_[gi];
      if (fresh.size() >= room)
        break;
      // Each generator's share of the round's room (the rest split evenly
      // among it and those after it), so that one with a long list does
      // not starve the others (LLM agents beside the built-in one).
      size_t left = gens_.size() - gi;
      size_t share = fresh.size() + (room - fresh.size() + left - 1) / left;
      // A generator whose proposals were all seen before is asked again
      // (a few times), so duplicates do not end the search early.
      for (int ask = 0; ask < 4 && fresh.size() < share; ++ask) {
        std::vector<Candidate> cs =
            g->propose(problem_, r.outcomes, share - fresh.size());
        fatal = g->fatal();
        if (cs.empty() || !fatal.empty())
          break;
        for (Candidate &c : cs) {
          c.generator = g->name();
          nlohmann::json m = c.manifest;
          m["source"] = "kernel.cl";
          std::string h = fnv1aHex(c.source + "\n" + m.dump());
          if (!seen.insert(h).second)
            continue; // proposed before (by any generator)
          char id[16];
          std::snprintf(id, sizeof id, "c%03d", nextId++);
          c.id = id;
          Outcome o;
          o.cand = c;
          o.hash = h;
          o.dir = "candidates/" + c.id;
          fs::path dir = fs::path(opt_.outDir) / o.dir;
          fs::create_directories(dir);
          writeFile(dir / "kernel.cl", c.source);
          writeFile(dir / "manifest.json", m.dump(2) + "\n");
          fresh.push_back(std::move(o));
        }
      }
    }
    if (!fatal.empty()) {
      r.fatal = fatal;
      r.stopReason = "stopped: " + fatal;
      break;
    }
    if (fresh.empty()) {
      r.interrupted = stopped(); // SIGINT during a proposal (LLM requests)
      r.stopReason = r.interrupted ? "interrupted (SIGINT)"
                                   : "no generator has anything new";
      break;
    }
    std::vector<Outcome *> batch;
    for (Outcome &o : fresh)
      batch.push_back(&o);
    verifyBatch(batch);
    for (Outcome &o : fresh) {
      bool unverifiedOk = opt_.allowUnverified && o.verdict == "unknown";
      if (!o.proved() && !unverifiedOk) {
        o.timingNote = o.verdict == "unknown"
                           ? "not proved (unknown): never timed"
                           : "not proved (" + o.verdict + "): never timed";
      } else if (stopped()) {
        o.timingNote = "interrupted before timing";
      } else if (!opt_.emitRound.empty()) {
        // Writing a job costs no device time: a proven candidate is emitted
        // even when the budget is spent.
        if (o.proved())
          emit(o);
      } else if (opt_.budgetSeconds > 0 && elapsed() >= opt_.budgetSeconds) {
        o.timingNote = "budget reached before timing";
      } else if (!opt_.timing) {
        o.timingNote = "--no-timing";
      } else {
        o.unverified = !o.proved();
        time(o);
      }
      for (auto &g : gens_)
        if (g->name() == o.cand.generator)
          g->observe(o);
      r.outcomes.push_back(o);
      rank(r, opt_.pytorchEagerUs);
      if (opt_.log && !opt_.statusLine)
        opt_.log(describe(o));
      status(r, false);
    }
    if (afterRound) {
      r.wallSeconds = elapsed();
      collectReports(r);
      afterRound(r);
    }
  }
  for (auto &g : gens_)
    if (!g->unsupported().empty())
      r.unsupported.push_back({g->name(), g->unsupported()});
  rank(r, opt_.pytorchEagerUs);
  r.wallSeconds = elapsed();
  collectReports(r);
  status(r, true);
  return r;
}

void Supervisor::collectReports(SynthResult &r) const {
  r.generatorReports = nlohmann::json::object();
  for (const auto &g : gens_) {
    nlohmann::json j = g->report();
    if (!j.is_null())
      r.generatorReports[g->name()] = j;
  }
}

std::string fnv1aHex(const std::string &text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

nlohmann::json Outcome::toJson() const {
  nlohmann::json j = {{"id", cand.id},
                      {"generator", cand.generator},
                      {"kind", cand.kind},
                      {"params", cand.params},
                      {"baseline", cand.baseline},
                      {"source_hash", hash},
                      {"dir", dir},
                      {"verdict", verdict},
                      {"level", level},
                      {"reason", reason},
                      {"verify_seconds", verifySeconds},
                      {"verify_exit", verifyExit},
                      {"timing", timing},
                      {"timing_note", timingNote},
                      {"unverified", unverified}};
  if (!unknownKind.empty())
    j["unknown_kind"] = unknownKind;
  if (!counterexample.is_null())
    j["counterexample"] = counterexample;
  if (!compileError.empty())
    j["compile_error"] = compileError;
  if (timed())
    j["device_us"] = {{"median", medianUs},
                      {"min", minUs},
                      {"iqr", iqrUs},
                      {"stddev", stddevUs}};
  if (speedupNaive > 0)
    j["speedup_over_naive"] = speedupNaive;
  if (speedupPytorch > 0)
    j["speedup_over_pytorch"] = speedupPytorch;
  return j;
}

} // namespace ksynth::synth
