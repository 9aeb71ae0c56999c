// ksynth verify SPEC MANIFEST [--json] [--query-timeout-ms MS] [--deadline SEC]
// [--dump-smt DIR] ...
// Around the verifier: the hard deadline (Watchdog.h), the hard memory cap
// (MemoryWatchdog.h) and, after a proof, the self-check on a device
// (SelfCheck.h).
#include "Commands.h"
#include "Import.h"
#include "MemoryWatchdog.h"
#include "SelfCheck.h"
#include "Watchdog.h"

#include "solver/SolverConfig.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "support/Error.h"
#include "verify/Verifier.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace ksynth::cli {

unsigned parseUnsignedOption(const std::string &flag, const std::string &v) {
  try {
    size_t pos = 0;
    unsigned long x = std::stoul(v, &pos);
    if (pos != v.size() || x > 0xffffffffUL)
      throw std::invalid_argument(v);
    return static_cast<unsigned>(x);
  } catch (const std::exception &) {
    throw UserError(ExitCode::Usage,
                    flag + " needs a non-negative integer, got '" + v + "'");
  }
}

namespace {

const char *kHelp =
    "usage: ksynth verify SPEC MANIFEST [options]\n"
    "  --json               print the verdict as JSON "
    "(docs/verdict-format.md)\n"
    "  --out FILE           also write the JSON verdict to FILE\n"
    "  --query-timeout-ms MS\n"
    "                       per-query solver time limit, in milliseconds\n"
    "                       (default 20000; --deadline bounds the whole run)\n"
    "  --seed N             solver random seed (default 0)\n"
    "  --memory MB          solver memory cap (default 4096)\n"
    "  --max-memory MB      stop with unknown (too-large) when ksynth and the\n"
    "                       processes it started (solvers, the self-check's\n"
    "                       worker) hold more resident memory; a hard cap,\n"
    "                       polled every 10 ms (default: half of physical\n"
    "                       memory)\n"
    "  --dump-smt DIR       write every solver query as SMT-LIB2 into DIR\n"
    "  --no-cache           disable the query cache\n"
    "  --no-hunt            do not try concrete inputs before the solver\n"
    "  --no-fork-solver     run Z3 in this process (default: a killable "
    "child)\n"
    "  --solver NAME        z3 (default, the reference), cvc5, or portfolio\n"
    "                       (hard queries to both in forked children; the\n"
    "                       first definite answer wins)\n"
    "  --portfolio-min-nodes N\n"
    "                       portfolio: queries with N or more subterms, or\n"
    "                       with rounding FP operations, go to both solvers\n"
    "                       (default 2000; 0: every query)\n"
    "  --portfolio-cross-check\n"
    "                       portfolio: wait for both answers and compare\n"
    "  --deadline SEC       whole-verification limit (default 600); then "
    "unknown,\n"
    "                       a hard bound: answered within about 2 s of it\n"
    "  --no-self-check      do not run a proof on adversarial inputs on the\n"
    "                       OpenCL device (PoCL) after proving it\n"
    "  --fmuladd MODE       fused (default: what PoCL/GPUs do) or unfused\n"
    "  --unroll-bound N     instructions per work-item path (default 1048576)\n"
    "  --summarize-above N  symbolic mode: summarise accumulation loops that\n"
    "                       may run N times or more (default 4096; 0: never)\n"
    "  --shape K=V[,K=V]    verify at this shape instead of the spec's list\n"
    "  --symbolic-above N   above N work-items or output elements, one "
    "arbitrary\n"
    "                       symbolic work-item where it applies (default "
    "4096)\n"
    "exit codes: 0 proved, 10 refuted, 5 unknown, 1 usage, 2 input error, "
    "6 internal\n"
    "  (6 also when the self-check contradicts a proof: a bug report is "
    "written)\n";

// The watchdog fires this long after --deadline (the verifier's own
// deadline checks normally answer first).
constexpr double kDeadlineGraceSeconds = 1.5;

spec::ShapeBinding parseShape(const std::string &s) {
  spec::ShapeBinding b;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    std::string kv = s.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UserError(ExitCode::Usage,
                      "--shape expects K=V[,K=V], got '" + s + "'");
    b[kv.substr(0, eq)] = parseUnsignedOption("--shape", kv.substr(eq + 1));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return b;
}

// The verdict a watchdog prints when it stops the verification: the hard
// deadline (kind timeout) or the hard memory cap (kind too-large).
verify::Verdict stopVerdict(const spec::Spec &s, const spec::Manifest &m,
                            const verify::VerifyOptions &o,
                            const std::string &kind,
                            const std::string &reason) {
  verify::Verdict v;
  v.outcome = verify::Outcome::Unknown;
  v.unknownKind = kind;
  v.specPath = s.path;
  v.manifestPath = m.path;
  v.reason = reason;
  nlohmann::json d = nlohmann::json::object();
  for (const spec::TensorDecl &t : s.inputs)
    d[t.name] = s.domainOf(t.name).describe();
  v.assumptions = {{"shapes", s.shapes},
                   {"domain", d},
                   {"tolerance", s.tolerance.describe()},
                   {"deadline_s", o.deadlineSeconds},
                   {"unroll_bound", o.limits.maxStepsPerItem},
                   {"path_bound", o.limits.maxPathsPerItem},
                   {"memory_limit_mb", o.maxMemoryMb}};
  v.solver = o.solver.toJson();
  return v;
}

// The verdict's JSON with the self-check, and the exit code it stands for.
nlohmann::json verdictJson(const verify::Verdict &v, const SelfCheckResult &sc,
                           int exitCode) {
  nlohmann::json j = v.toJson();
  j["exit_code"] = exitCode;
  j["self_check"] = sc.toJson();
  return j;
}

std::string verdictText(const verify::Verdict &v, const SelfCheckResult &sc) {
  std::string t = v.toText();
  size_t at = t.find("  obligations:\n");
  if (at == std::string::npos)
    at = t.find("  assumptions:\n");
  t.insert(at == std::string::npos ? t.size() : at, sc.toText());
  return t;
}

} // namespace

int cmdVerify(const std::vector<std::string> &args) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> pos;
  bool json = false, selfCheck = true;
  std::string out;
  verify::VerifyOptions o;
  std::optional<spec::ShapeBinding> shape;
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
    } else if (a == "--json") {
      json = true;
    } else if (a == "--out") {
      out = next();
    } else if (a == "--query-timeout-ms") {
      o.solver.timeoutMs = parseUnsignedOption(a, next());
    } else if (a == "--timeout") {
      // Was milliseconds per query, while run/bench --timeout is seconds:
      // refused rather than silently read in either unit.
      throw UserError(ExitCode::Usage,
                      "verify: --timeout is gone (it was milliseconds per "
                      "query); use --query-timeout-ms MS, or --deadline SEC "
                      "for the whole verification");
    } else if (a == "--seed") {
      o.solver.seed = parseUnsignedOption(a, next());
    } else if (a == "--max-memory") {
      o.maxMemoryMb = parseUnsignedOption(a, next());
    } else if (a == "--memory") {
      o.solver.memoryMb = parseUnsignedOption(a, next());
    } else if (a == "--dump-smt") {
      o.solver.dumpDir = next();
    } else if (a == "--no-cache") {
      o.solver.cache = false;
    } else if (a == "--deadline") {
      o.deadlineSeconds = parseUnsignedOption(a, next());
    } else if (a == "--no-self-check") {
      selfCheck = false;
    } else if (a == "--no-hunt") {
      o.solver.hunt = false;
    } else if (a == "--no-fork-solver") {
      o.solver.fork = false;
    } else if (a == "--solver") {
      std::string b = next();
      if (b != "z3" && b != "cvc5" && b != "portfolio")
        throw UserError(ExitCode::Usage, "verify: --solver must be z3, cvc5 "
                                         "or portfolio, not '" +
                                             b + "'");
      o.solver.backend = b;
    } else if (a == "--portfolio-min-nodes") {
      o.solver.portfolioMinNodes = parseUnsignedOption(a, next());
    } else if (a == "--portfolio-cross-check") {
      o.solver.portfolioCrossCheck = true;
    } else if (a == "--fmuladd") {
      std::string m = next();
      if (m == "fused")
        o.fma = verify::FmaMode::Fused;
      else if (m == "unfused")
        o.fma = verify::FmaMode::Unfused;
      else
        throw UserError(ExitCode::Usage, "--fmuladd is fused or unfused");
    } else if (a == "--unroll-bound") {
      o.limits.maxStepsPerItem = parseUnsignedOption(a, next());
    } else if (a == "--summarize-above") {
      o.limits.summarizeAbove = parseUnsignedOption(a, next());
    } else if (a == "--shape") {
      shape = parseShape(next());
    } else if (a == "--symbolic-above") {
      o.symbolicAbove = parseUnsignedOption(a, next());
    } else if (!a.empty() && a[0] == '-') {
      throw UserError(ExitCode::Usage, "verify: unknown option " + a);
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 2)
    throw UserError(
        ExitCode::Usage,
        "verify needs SPEC and MANIFEST (see 'ksynth verify --help')");

  verify::Verdict v;
  SelfCheckResult sc = skippedSelfCheck("only proofs are self-checked");
  std::unique_ptr<DeadlineWatchdog> watchdog;
  std::unique_ptr<MemoryWatchdog> memoryWatchdog;
  if (!o.maxMemoryMb)
    o.maxMemoryMb = defaultMemoryCapBytes() >> 20;
  try {
    spec::Spec s = loadSpecArg(pos[0]);
    if (shape) {
      s.shapes = {*shape};
      (void)spec::inferTypes(s, *shape); // validates the binding
    }
    spec::Manifest m = spec::parseManifestFile(pos[1], s);
    {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%g", o.deadlineSeconds);
      verify::Verdict dv = stopVerdict(
          s, m, o, "timeout",
          std::string("hard deadline: --deadline ") + secs +
              " s passed before the verification finished; it was stopped "
              "from outside the verifier (its solver and device processes "
              "killed)");
      SelfCheckResult dsc = skippedSelfCheck("the deadline passed first");
      int code = toInt(ExitCode::Unknown);
      watchdog = std::make_unique<DeadlineWatchdog>(
          t0 + std::chrono::milliseconds(static_cast<int64_t>(
                   (o.deadlineSeconds + kDeadlineGraceSeconds) * 1000)),
          json ? verdictJson(dv, dsc, code).dump(2) + "\n"
               : verdictText(dv, dsc),
          out, verdictJson(dv, dsc, code).dump(2) + "\n");
      verify::Verdict mv = stopVerdict(
          s, m, o, "too-large",
          "memory limit of " + std::to_string(o.maxMemoryMb) +
              " MB reached (hard cap: ksynth and its solver and device "
              "processes held " +
              kResidentToken +
              " MB resident); the verification was stopped from outside "
              "the verifier (its solver and device processes killed); raise "
              "--max-memory or verify smaller shapes");
      SelfCheckResult msc = skippedSelfCheck("the memory cap was reached");
      memoryWatchdog = std::make_unique<MemoryWatchdog>(
          o.maxMemoryMb << 20,
          json ? verdictJson(mv, msc, code).dump(2) + "\n"
               : verdictText(mv, msc),
          "ksynth: " + mv.reason + "\n", out,
          verdictJson(mv, msc, code).dump(2) + "\n");
    }
    v = verify::verify(s, m, o);
    if (v.outcome == verify::Outcome::Proved) {
      SelfCheckOptions so;
      so.timeoutSeconds = std::min(60.0, watchdog->secondsLeft() - 0.5);
      if (!out.empty())
        so.bugReportDir = std::filesystem::absolute(out).parent_path().string();
      bool subGroups = false;
      for (const spec::Launch &l : m.launches)
        subGroups = subGroups || l.subGroupSize > 0;
      if (!selfCheck)
        sc = skippedSelfCheck("turned off (--no-self-check)");
      else if (o.fma == verify::FmaMode::Unfused && m.fpContract)
        sc = skippedSelfCheck("--fmuladd unfused models a device that does "
                              "not fuse llvm.fmuladd; PoCL fuses it");
      else if (subGroups)
        sc = skippedSelfCheck("the proof holds for the manifest's "
                              "sub_group_size only, and the device chooses "
                              "its own");
      else if (so.timeoutSeconds < 1)
        sc = skippedSelfCheck("no time left before the deadline");
      else {
        try {
          sc = selfCheckProof(s, m, so);
        } catch (const std::exception &e) { // the proof stands, unchecked
          sc = skippedSelfCheck(std::string("the self-check could not run: ") +
                                e.what());
        }
      }
    }
  } catch (const UserError &e) {
    if (watchdog)
      watchdog->finish();
    if (memoryWatchdog)
      memoryWatchdog->finish();
    if (e.code() == ExitCode::Usage)
      throw;
    v = verify::errorVerdict(pos[0], pos[1], e);
    std::fprintf(stderr, "ksynth: %s\n", e.what());
  }
  if (watchdog)
    watchdog->finish(); // from here on the deadline no longer applies
  if (memoryWatchdog)
    memoryWatchdog->finish(); // nor the memory cap
  int code = toInt(v.exitCode());
  if (sc.status == "failed") {
    // Never "proved": the proof is contradicted by a concrete run.
    v.outcome = verify::Outcome::Unknown;
    v.unknownKind = "inconsistent";
    v.reason =
        "internal error: the self-check contradicts the proof: " + sc.reason +
        (sc.bugReport.empty() ? "" : " (bug report: " + sc.bugReport + ")");
    code = toInt(ExitCode::Internal);
    std::fprintf(stderr, "ksynth: %s\n", v.reason.c_str());
  }
  nlohmann::json doc = verdictJson(v, sc, code);
  if (!out.empty() && !writeFileAtomically(out, doc.dump(2) + "\n"))
    throw UserError(ExitCode::Usage,
                    "cannot write " + out + ": " + std::strerror(errno));
  if (json)
    std::cout << doc.dump(2) << "\n";
  else
    std::cout << verdictText(v, sc);
  return code;
}

} // namespace ksynth::cli
