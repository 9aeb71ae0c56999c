// ksynth gate [PATHS...] [--pairs FILE] ...: the CI merge gate (issue 15,
// docs/gate.md). Finds (spec, manifest) pairs (gate/Pairs.h), verifies each
// in its own `ksynth verify --json` process with its own deadline and
// memory cap (the child's Watchdog and MemoryWatchdog, and a kill of its
// process group from here when it overruns), answers unchanged pairs from
// the proof cache (gate/ProofCache.h), writes the reports
// (gate/Reports.h) and exits by the policy in docs/gate.md. `gate merge`
// and `cache`: GateMergeCommand.cpp.
#include "Commands.h"
#include "GateCommon.h"
#include "MemoryWatchdog.h"

#include "gate/Child.h"
#include "gate/Pairs.h"
#include "gate/ProofCache.h"
#include "gate/Reports.h"
#include "gate/Research.h"
#include "solver/Solver.h"
#include "support/Error.h"
#include "verify/CacheKey.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ksynth::cli {

namespace {

using gate::PairResult;

const char *kHelp =
    "usage: ksynth gate [PATHS...] [--pairs FILE] [options]\n"
    "       ksynth gate merge REPORT.json... [--junit F] [--sarif F]\n"
    "                         [--markdown F] [--json F]\n"
    "Verifies every (spec, manifest) pair under PATHS (default: .): each\n"
    "candidates.json / ksynth-pairs.json index and each .cl file with an\n"
    "'// EXPECT:' header (docs/gate.md).\n"
    "  -j N                 pairs verified at once (default: the core count)\n"
    "  --pairs FILE         also the pairs of this index file\n"
    "  --deadline SEC       per pair (default 300); the child is killed 10 s\n"
    "                       after it if it has not answered\n"
    "  --max-memory MB      per pair (default: half of memory / -j)\n"
    "  --unknown fail|warn  whether an unknown verdict fails the gate\n"
    "                       (default fail; pairs with an expected verdict\n"
    "                       pass when it matches)\n"
    "  --junit F --sarif F --json F --markdown F   reports\n"
    "  --shard I/N          only the pairs of shard I of N (hash of the id)\n"
    "  --no-cache           neither read nor write the proof cache\n"
    "  --cache-dir DIR      (default $KSYNTH_CACHE_DIR or "
    "~/.cache/ksynth/gate)\n"
    "  --self-check         run proofs on PoCL too (verify's self-check)\n"
    "  --crosscheck         re-solve every query with a second solver\n"
    "  --crosscheck-solver CMD   (default cvc5)\n"
    "  --crosscheck-timeout-ms MS (default 10000)\n"
    "  --dump-smt DIR       every query, under DIR/<pair id>/\n"
    "  --stats FILE         per-query statistics as JSON lines\n"
    "  --query-timeout-ms MS, --seed N, --fmuladd M, --unroll-bound N,\n"
    "  --summarize-above N, --symbolic-above N   passed to ksynth verify\n"
    "  --quiet              only the summary\n"
    "  --list               print the pairs (id, expectation) and exit\n"
    "exit codes: 0 every pair passed, 10 a pair refuted or not as expected,\n"
    "  2 a pair in error (and none refuted), 5 only unknowns failed,\n"
    "  6 an internal error or a solver disagreement, 1 usage\n";

struct GateOptions {
  std::vector<std::string> paths, pairFiles;
  unsigned jobs = 0;
  unsigned deadline = 300;
  unsigned maxMemoryMb = 0;
  bool unknownFails = true;
  std::string junit, sarif, json, markdown;
  std::optional<gate::Shard> shard;
  bool cache = true;
  std::string cacheDir;
  bool selfCheck = false;
  bool crosscheck = false;
  gate::CrossCheck cc{"cvc5", 10000};
  std::string dumpDir, statsFile;
  std::vector<std::string> verifyArgs; // meaning-changing, passed on
  bool quiet = false;
  bool list = false;
};

std::string selfExe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "ksynth" : p.string();
}

// Versions and build identity: part of every cache key and report.
nlohmann::json versions() {
  nlohmann::json v = {{"ksynth_version", KSYNTH_VERSION},
                      {"llvm", verify::llvmVersion()},
                      {"z3", smt::z3Version()}};
  struct stat st {};
  if (::stat(selfExe().c_str(), &st) == 0)
    v["ksynth_build"] =
        std::to_string(st.st_size) + ":" + std::to_string(st.st_mtime);
  // Test hook (tests/cli/gate_cache_test.py): stands for another version.
  if (const char *salt = std::getenv("KSYNTH_GATE_VERSION_SALT"))
    v["salt"] = salt;
  return v;
}

std::string safeName(const std::string &id) {
  std::string s;
  for (char c : id)
    s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
          c == '.')
             ? c
             : '_';
  return s;
}

nlohmann::json synthVerdict(const gate::Pair &p, const std::string &outcome,
                            const std::string &kind, const std::string &reason,
                            int code) {
  nlohmann::json v = {{"verdict", outcome},
                      {"exit_code", code},
                      {"spec", p.spec},
                      {"manifest", p.manifest},
                      {"reason", reason}};
  if (!kind.empty())
    v["unknown_kind"] = kind;
  return v;
}

// The gate's policy for one result: pass, warn or fail, and why.
void judge(PairResult &r, bool unknownFails) {
  const gate::Pair &p = r.pair;
  if (!p.expect.empty()) {
    std::string got = r.outcome;
    std::string why;
    if (got != p.expect)
      why = "expected " + p.expect + ", got " + gate::verdictLine(r);
    else if (got == "refuted" && !p.obligation.empty()) {
      std::string ob = r.verdict.contains("counterexample")
                           ? r.verdict["counterexample"].value("obligation", "")
                           : "";
      if (ob != p.obligation)
        why =
            "expected refuted (" + p.obligation + "), got refuted (" + ob + ")";
    } else if (got == "unknown" && !p.unknownKind.empty() &&
               r.verdict.value("unknown_kind", "") != p.unknownKind)
      why = "expected unknown (" + p.unknownKind + "), got " +
            gate::verdictLine(r);
    if (why.empty()) {
      r.status = "pass";
    } else if (got == "unknown" && !unknownFails) {
      r.status = "warn";
      r.note = why;
    } else {
      r.status = "fail";
      r.note = why;
    }
  } else if (r.outcome == "proved") {
    r.status = "pass";
  } else if (r.outcome == "unknown" && !unknownFails) {
    r.status = "warn";
    r.note = gate::verdictLine(r);
  } else {
    r.status = "fail";
    r.note = gate::verdictLine(r);
  }
  if (r.crosscheck.is_object() && !r.crosscheck["disagreements"].empty()) {
    const nlohmann::json &d = r.crosscheck["disagreements"][0];
    r.status = "fail";
    r.note = "solver disagreement: z3 says " + d.value("z3", "?") + ", " +
             r.crosscheck.value("solver", "?") + " says " +
             d.value("second", "?") + " on '" + d.value("label", "") +
             "' (query " + d.value("query", "") + ")";
  }
}

class Gate {
public:
  Gate(GateOptions o, std::vector<gate::Pair> pairs)
      : o_(std::move(o)), pairs_(std::move(pairs)), exe_(selfExe()),
        cache_(o_.cacheDir), versions_(versions()) {
    char tmpl[] = "/tmp/ksynth-gate-XXXXXX";
    const char *tmpdir = std::getenv("TMPDIR");
    std::string t = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") +
                    "/ksynth-gate-XXXXXX";
    std::vector<char> buf(t.begin(), t.end());
    buf.push_back(0);
    char *made = ::mkdtemp(buf.data());
    if (!made && !(made = ::mkdtemp(tmpl)))
      throw UserError(ExitCode::Internal, "cannot create a work directory");
    work_ = made;
    context_ = {{"options", o_.verifyArgs},
                {"self_check", o_.selfCheck},
                {"versions", versions_}};
  }
  ~Gate() {
    std::error_code ec;
    fs::remove_all(work_, ec);
  }

  std::vector<PairResult> run();
  const nlohmann::json &versionInfo() const { return versions_; }
  const nlohmann::json &context() const { return context_; }
  int corruptEntries() const { return corrupt_; }

private:
  PairResult runPair(size_t i);
  std::vector<std::string> verifyArgv(const gate::Pair &p,
                                      const std::string &manifest,
                                      const std::string &out,
                                      const std::string &dump) const;
  void progress(const PairResult &r);

  GateOptions o_;
  std::vector<gate::Pair> pairs_;
  std::string exe_, work_;
  gate::ProofCache cache_;
  nlohmann::json versions_, context_;
  std::mutex compileMu_, outMu_, statsMu_;
  std::atomic<int> done_{0}, corrupt_{0};
  std::ofstream stats_;
  bool tty_ = ::isatty(1);
};

std::vector<std::string> Gate::verifyArgv(const gate::Pair &p,
                                          const std::string &manifest,
                                          const std::string &out,
                                          const std::string &dump) const {
  std::vector<std::string> a = {
      exe_,     "verify",     p.spec,
      manifest, "--json",     "--out",
      out,      "--deadline", std::to_string(o_.deadline)};
  if (o_.maxMemoryMb) {
    a.push_back("--max-memory");
    a.push_back(std::to_string(o_.maxMemoryMb));
  }
  if (!o_.selfCheck)
    a.push_back("--no-self-check");
  if (!dump.empty()) {
    a.push_back("--dump-smt");
    a.push_back(dump);
  }
  a.insert(a.end(), o_.verifyArgs.begin(), o_.verifyArgs.end());
  return a;
}

void Gate::progress(const PairResult &r) {
  int n = ++done_;
  if (o_.quiet)
    return;
  std::lock_guard<std::mutex> lock(outMu_);
  char head[64];
  std::snprintf(head, sizeof head, "[%d/%zu] %-4s %7.2fs ", n, pairs_.size(),
                r.status == "pass"   ? "ok"
                : r.status == "warn" ? "WARN"
                                     : "FAIL",
                r.seconds);
  std::string line = std::string(head) + r.pair.id + ": " + r.outcome +
                     (r.cached ? " (cached)" : "") +
                     (r.note.empty() ? "" : " - " + r.note);
  if (tty_) {
    const char *color = r.status == "pass"   ? "\033[32m"
                        : r.status == "warn" ? "\033[33m"
                                             : "\033[31m";
    std::printf("\r\033[K%s%s\033[0m\n", color, line.c_str());
  } else {
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);
}

PairResult Gate::runPair(size_t i) {
  const gate::Pair &p = pairs_[i];
  PairResult r;
  r.pair = p;
  auto t0 = std::chrono::steady_clock::now();
  std::string manifest = p.manifest;
  if (manifest.empty()) { // a corpus kernel: its header's manifest
    manifest = work_ + "/m" + std::to_string(i) + ".json";
    writeGateFile(manifest, p.inlineManifest.dump(1) + "\n");
  }
  // 1. The cache: the alias (exact bytes) first, then the full key.
  std::optional<gate::CacheKey> full, alias;
  bool useCache =
      o_.cache && !o_.crosscheck && o_.dumpDir.empty() && o_.statsFile.empty();
  if (useCache) {
    if (auto am = gate::aliasMaterial(p.spec, manifest, context_)) {
      alias = gate::makeCacheKey(*am);
      if (auto h = cache_.lookupAlias(*alias)) {
        bool corrupt = false;
        if (auto v = cache_.lookupByHash(*h, &corrupt)) {
          r.verdict = gate::sourceDigestChecked(*v, p.source);
          r.cached = true;
        }
        corrupt_ += corrupt;
      }
    }
    if (!r.cached) {
      try {
        std::lock_guard<std::mutex> lock(compileMu_);
        full =
            gate::makeCacheKey(gate::fullMaterial(p.spec, manifest, context_));
      } catch (const std::exception &) {
        full.reset(); // does not parse or compile: the verifier says why
      }
      if (full) {
        bool corrupt = false;
        if (auto v = cache_.lookup(*full, &corrupt)) {
          r.verdict = gate::sourceDigestChecked(*v, p.source);
          r.cached = true;
          if (alias)
            cache_.storeAlias(*alias, full->hash);
        }
        corrupt_ += corrupt;
      }
    }
  }
  // 2. Otherwise the verifier, in its own process.
  if (!r.cached) {
    std::string out = work_ + "/v" + std::to_string(i) + ".json";
    std::string err = work_ + "/e" + std::to_string(i) + ".txt";
    std::string dump;
    if (!o_.dumpDir.empty())
      dump = o_.dumpDir + "/" + safeName(p.id);
    else if (o_.crosscheck || !o_.statsFile.empty())
      dump = work_ + "/d" + std::to_string(i);
    if (!dump.empty()) {
      std::error_code ec;
      fs::remove_all(dump, ec);
    }
    gate::ChildResult c = gate::runChild(verifyArgv(p, manifest, out, dump), "",
                                         err, o_.deadline + 10.0);
    std::ifstream in(out);
    nlohmann::json v;
    bool parsed = false;
    if (in) {
      try {
        in >> v;
        parsed = v.is_object() && v.contains("verdict");
      } catch (const nlohmann::json::exception &) {
      }
    }
    if (parsed) {
      r.verdict = v;
    } else if (c.timedOut) {
      r.verdict = synthVerdict(p, "unknown", "timeout",
                               "the gate killed the verifier 10 s after its "
                               "--deadline of " +
                                   std::to_string(o_.deadline) + " s",
                               5);
    } else {
      std::string why = gate::lastLine(err);
      if (why.empty())
        why = c.startFailed ? "could not start " + exe_
              : c.signal
                  ? "the verifier died of signal " + std::to_string(c.signal)
                  : "the verifier wrote no verdict (exit " +
                        std::to_string(c.exitCode) + ")";
      r.verdict =
          synthVerdict(p, "error", "", why, c.exitCode >= 0 ? c.exitCode : 6);
    }
    // 3. Research: per-query statistics and the second solver.
    if (!dump.empty()) {
      std::vector<gate::QueryRecord> qs = gate::readQueryDump(dump);
      std::vector<std::string> second;
      if (o_.crosscheck)
        r.crosscheck = gate::crossCheck(
            qs, o_.cc, work_ + "/cc" + std::to_string(i), &second);
      if (!o_.statsFile.empty()) {
        std::lock_guard<std::mutex> lock(statsMu_);
        for (size_t k = 0; k < qs.size(); ++k) {
          nlohmann::json line = gate::statsLine(qs[k], p.id);
          line["seed"] = r.verdict.contains("solver")
                             ? r.verdict["solver"].value("seed", 0)
                             : 0;
          if (o_.crosscheck)
            line["crosscheck"] = second[k];
          stats_ << line.dump() << "\n";
        }
        stats_.flush();
      }
    }
    if (useCache && full && gate::isFinalVerdict(r.verdict)) {
      cache_.store(*full, gate::withSourceDigest(r.verdict, p.source));
      if (alias)
        cache_.storeAlias(*alias, full->hash);
    }
  }
  // The verdict speaks of this pair's files, wherever it was computed.
  r.verdict["spec"] = p.spec;
  r.verdict["manifest"] = p.manifest.empty() ? p.source : p.manifest;
  r.outcome = r.verdict.value("verdict", "error");
  if (r.outcome != "proved" && r.outcome != "refuted" && r.outcome != "unknown")
    r.outcome = "error";
  if (r.verdict.value("exit_code", 0) == 6 && r.outcome != "error")
    r.outcome = "error"; // internal error or contradicted proof
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  judge(r, o_.unknownFails);
  return r;
}

std::vector<PairResult> Gate::run() {
  if (!o_.statsFile.empty()) {
    stats_.open(o_.statsFile, std::ios::trunc);
    if (!stats_)
      throw UserError(ExitCode::Usage, "cannot write " + o_.statsFile);
    nlohmann::json head = {
        {"run", versions_}, {"options", o_.verifyArgs}, {"seed", 0}};
    for (size_t k = 0; k + 1 < o_.verifyArgs.size(); ++k)
      if (o_.verifyArgs[k] == "--seed")
        head["seed"] = std::stoul(o_.verifyArgs[k + 1]);
    stats_ << head.dump() << "\n";
  }
  std::vector<PairResult> results(pairs_.size());
  std::atomic<size_t> next{0};
  unsigned n = std::max(
      1u, std::min<unsigned>(o_.jobs, static_cast<unsigned>(pairs_.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < n; ++t)
    threads.emplace_back([&] {
      for (size_t i; (i = next++) < pairs_.size();) {
        try {
          results[i] = runPair(i);
        } catch (const std::exception &e) {
          PairResult r;
          r.pair = pairs_[i];
          r.verdict = synthVerdict(pairs_[i], "error", "", e.what(), 2);
          r.outcome = "error";
          judge(r, o_.unknownFails);
          results[i] = std::move(r);
        }
        progress(results[i]);
      }
    });
  for (std::thread &t : threads)
    t.join();
  return results;
}

} // namespace

int cmdGate(const std::vector<std::string> &args) {
  if (!args.empty() && args[0] == "merge")
    return cmdGateMerge({args.begin() + 1, args.end()});
  auto t0 = std::chrono::steady_clock::now();
  GateOptions o;
  o.jobs = std::max(1u, std::thread::hardware_concurrency());
  bool memorySet = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= args.size())
        throw UserError(ExitCode::Usage, a + " needs a value");
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kHelp, stdout);
      return 0;
    } else if (a == "-j" || a == "--jobs") {
      o.jobs = std::max(1u, parseUnsignedOption(a, next()));
    } else if (a.rfind("-j", 0) == 0 && a.size() > 2) {
      o.jobs = std::max(1u, parseUnsignedOption("-j", a.substr(2)));
    } else if (a == "--pairs") {
      o.pairFiles.push_back(next());
    } else if (a == "--deadline") {
      o.deadline = std::max(1u, parseUnsignedOption(a, next()));
    } else if (a == "--max-memory") {
      o.maxMemoryMb = parseUnsignedOption(a, next());
      memorySet = true;
    } else if (a == "--unknown" || a.rfind("--unknown=", 0) == 0) {
      std::string v = a == "--unknown" ? next() : a.substr(10);
      if (v != "fail" && v != "warn")
        throw UserError(ExitCode::Usage, "--unknown is fail or warn");
      o.unknownFails = v == "fail";
    } else if (a == "--junit") {
      o.junit = next();
    } else if (a == "--sarif") {
      o.sarif = next();
    } else if (a == "--json") {
      o.json = next();
    } else if (a == "--markdown") {
      o.markdown = next();
    } else if (a == "--shard") {
      o.shard = gate::parseShard(next());
    } else if (a == "--no-cache") {
      o.cache = false;
    } else if (a == "--cache-dir") {
      o.cacheDir = next();
    } else if (a == "--self-check") {
      o.selfCheck = true;
    } else if (a == "--crosscheck") {
      o.crosscheck = true;
    } else if (a == "--crosscheck-solver") {
      o.cc.solver = next();
    } else if (a == "--crosscheck-timeout-ms") {
      o.cc.timeoutMs = parseUnsignedOption(a, next());
    } else if (a == "--dump-smt") {
      o.dumpDir = next();
    } else if (a == "--stats") {
      o.statsFile = next();
    } else if (a == "--list") {
      o.list = true;
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (a == "--query-timeout-ms" || a == "--seed" ||
               a == "--unroll-bound" || a == "--summarize-above" ||
               a == "--symbolic-above") {
      std::string v = std::to_string(parseUnsignedOption(a, next()));
      o.verifyArgs.push_back(a);
      o.verifyArgs.push_back(v);
    } else if (a == "--fmuladd") {
      std::string v = next();
      if (v != "fused" && v != "unfused")
        throw UserError(ExitCode::Usage, "--fmuladd is fused or unfused");
      o.verifyArgs.push_back(a);
      o.verifyArgs.push_back(v);
    } else if (!a.empty() && a[0] == '-') {
      throw UserError(ExitCode::Usage, "gate: unknown option " + a);
    } else {
      o.paths.push_back(a);
    }
  }
  if (o.paths.empty() && o.pairFiles.empty())
    o.paths.push_back(".");
  if (!memorySet)
    o.maxMemoryMb = static_cast<unsigned>(
        std::max<uint64_t>(1024, (defaultMemoryCapBytes() >> 20) / o.jobs));
  if (o.cacheDir.empty())
    o.cacheDir = gate::ProofCache::defaultDir();
  if (o.crosscheck && o.cc.solver.find('/') == std::string::npos) {
    // execv needs a path: look the solver up on PATH.
    std::string found;
    const char *path = std::getenv("PATH");
    std::string ps = path ? path : "/usr/bin:/bin";
    for (size_t s = 0; s <= ps.size();) {
      size_t e = ps.find(':', s);
      std::string d = ps.substr(s, e == std::string::npos ? e : e - s);
      if (!d.empty() && ::access((d + "/" + o.cc.solver).c_str(), X_OK) == 0) {
        found = d + "/" + o.cc.solver;
        break;
      }
      if (e == std::string::npos)
        break;
      s = e + 1;
    }
    if (found.empty())
      throw UserError(ExitCode::Usage, "--crosscheck: no '" + o.cc.solver +
                                           "' on PATH (install Debian's cvc5, "
                                           "scripts/install-deps.sh)");
    o.cc.solver = found;
  }

  std::vector<gate::Pair> all = gate::discoverPairs(o.paths, o.pairFiles);
  gate::ReportMeta meta;
  for (const gate::Pair &p : all)
    meta.universe.push_back(p.id);
  std::vector<gate::Pair> mine;
  for (gate::Pair &p : all)
    if (!o.shard || gate::inShard(p.id, *o.shard))
      mine.push_back(std::move(p));
  if (o.shard)
    meta.shard =
        std::to_string(o.shard->index) + "/" + std::to_string(o.shard->count);
  if (o.list) {
    for (const gate::Pair &p : mine)
      std::printf("%s\t%s\t%s\n", p.id.c_str(),
                  p.expect.empty() ? "-" : p.expect.c_str(), p.origin.c_str());
    return 0;
  }
  if (!o.quiet)
    std::printf("gate: %zu pairs%s, -j %u\n", mine.size(),
                o.shard ? (" (shard " + meta.shard + " of " +
                           std::to_string(all.size()) + ")")
                              .c_str()
                        : "",
                o.jobs);
  std::fflush(stdout);
  GateOptions copy = o;
  Gate g(std::move(copy), std::move(mine));
  std::vector<PairResult> results = g.run();
  meta.run = g.versionInfo();
  meta.run["options"] = o.verifyArgs;
  meta.run["self_check"] = o.selfCheck;
  meta.run["deadline_s"] = o.deadline;
  meta.run["max_memory_mb"] = o.maxMemoryMb;
  meta.run["unknown"] = o.unknownFails ? "fail" : "warn";
  meta.run["crosscheck"] = o.crosscheck ? o.cc.solver : "";
  GateReportFiles files{o.junit, o.sarif, o.json, o.markdown};
  writeGateReports(files, results, meta);
  double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  printGateSummary(results, wall);
  if (g.corruptEntries())
    std::printf("gate: %d corrupt cache entries were recomputed\n",
                g.corruptEntries());
  return gateExitCode(results);
}

} // namespace ksynth::cli
