// ksynth synth: the synthesizer's command line (synth/Supervisor.h): the
// generators, the verify children, timing on the device, the reports, the
// live status line, SIGINT, and hardware rounds (--emit-round/--resume).
#include "Commands.h"
#include "Import.h"
#include "MemoryWatchdog.h"

#include "runtime/Bench.h"
#include "spec/Spec.h"
#include "support/Error.h"
#include "synth/BuiltinGenerator.h"
#include "synth/FilesGenerator.h"
#include "synth/Report.h"
#include "synth/Round.h"
#include "synth/Supervisor.h"

#include <atomic>
#include <climits>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace ksynth::cli {

namespace {

namespace fs = std::filesystem;

const char *kSynthHelp =
    "usage: ksynth synth SPEC [options]\n"
    "  finds the fastest kernel proven equivalent to SPEC: generators propose\n"
    "  candidates, each is verified (`ksynth verify` in a child process with\n"
    "  its own deadline and memory cap), only proven ones are differential-\n"
    "  tested and timed on the device, and every outcome is fed back\n"
    "  --device D          OpenCL device (index, PLATFORM:DEVICE or a name\n"
    "                      substring; default PoCL's CPU device)\n"
    "  --budget SEC        stop after SEC seconds (default: none)\n"
    "  --candidates N      stop after N candidates (default: none)\n"
    "  --hint TEXT         free text for generators that read it\n"
    "  -j N                verify N candidates at once (default 1)\n"
    "  --out DIR           report, best kernel, candidates (default\n"
    "                      synth-out)\n"
    "  --allow-unverified  also time candidates the verifier left unknown,\n"
    "                      marked UNVERIFIED everywhere, never the result\n"
    "  --baseline FILE     PyTorch times (bench/pytorch_baseline.py --json, "
    "or\n"
    "                      {\"eager_us\": X, \"compile_us\": Y}) for speedups\n"
    "  --from DIR          also propose the manifests of DIR (each *.json "
    "with\n"
    "                      its source); their feedback is written to\n"
    "                      OUT/feedback/files.jsonl\n"
    "  --no-builtin        without the built-in generator\n"
    "  --search guided|grid  the built-in generator's search: guided by the\n"
    "                      measured times (default) or every schedule of its\n"
    "                      grid (for tests)\n"
    "  --no-timing         verify only\n"
    "  --verify-deadline SEC  per candidate (default 120)\n"
    "  --max-memory MB     for all verify children together (default: half\n"
    "                      of physical memory)\n"
    "  --no-self-check     passed to `ksynth verify`\n"
    "  --summarize-above N passed to `ksynth verify` (summarise accumulation\n"
    "                      loops that may run N times or more; default 4096)\n"
    "  --shape K=V[,K=V]   bench shape (default: the spec's largest)\n"
    "  --iters I, --warmup W, --rotate K, --flush-mb MB, --timeout SEC\n"
    "                      timing, as for `ksynth bench` (defaults 20, 2, 2,\n"
    "                      the bench default, 120)\n"
    "  --emit-round DIR    time nothing here: write the proven candidates as\n"
    "                      bench jobs to DIR/jobs and the state to\n"
    "                      DIR/round.json, for bench/gpu/run_on_gpu.sh\n"
    "  --resume DIR --results R  read the worker's results (results.json of\n"
    "                      run_on_gpu.sh) for round DIR, then continue\n"
    "                      (with --emit-round DIR2: the next round)\n"
    "exit codes: 0 a proven kernel was found (timed, or proven where nothing\n"
    "is timed), 5 none, 1 usage, 2 bad spec or options\n";

std::atomic<bool> gStop{false};

extern "C" void onSigint(int) {
  gStop = true;
  std::signal(SIGINT, SIG_DFL); // a second Ctrl-C ends at once
}

[[noreturn]] void usage(const std::string &msg) {
  throw UserError(ExitCode::Usage, msg);
}

double number(const std::string &flag, const std::string &v, double lo,
              double hi) {
  try {
    size_t pos = 0;
    double x = std::stod(v, &pos);
    if (pos != v.size() || !(x >= lo) || !(x <= hi))
      throw std::invalid_argument(v);
    return x;
  } catch (const std::exception &) {
    usage(flag + " needs a number in " + std::to_string(int64_t(lo)) + ".." +
          std::to_string(int64_t(hi)) + ", got '" + v + "'");
  }
}

spec::ShapeBinding shapeArg(const std::string &s) {
  spec::ShapeBinding b;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    std::string kv = s.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      usage("--shape expects K=V[,K=V], got '" + s + "'");
    b[kv.substr(0, eq)] =
        int64_t(number("--shape", kv.substr(eq + 1), 1, double(1u << 31)));
    if (comma == std::string::npos)
      return b;
    start = comma + 1;
  }
}

void readBaseline(const std::string &path, double &eager, double &compiled) {
  nlohmann::json j = spec::readJsonFile(path);
  if (j.contains("eager_us") && j.at("eager_us").is_number()) {
    eager = j.at("eager_us").get<double>();
    if (j.contains("compile_us") && j.at("compile_us").is_number())
      compiled = j.at("compile_us").get<double>();
    return;
  }
  try {
    eager =
        j.at("results").at("eager").at("event_us").at("median").get<double>();
    if (j.at("results").contains("compile"))
      compiled = j.at("results")
                     .at("compile")
                     .at("event_us")
                     .at("median")
                     .get<double>();
  } catch (const std::exception &) {
    throw UserError(ExitCode::InputError,
                    path + ": expected {\"eager_us\": X} or the JSON of "
                           "bench/pytorch_baseline.py");
  }
}

std::string selfPath() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    throw std::runtime_error("cannot read /proc/self/exe");
  return std::string(buf, size_t(n));
}

} // namespace

int cmdSynth(const std::vector<std::string> &args) {
  synth::SupervisorOptions opt;
  opt.bench.warmup = 2;
  opt.bench.iters = 20;
  opt.bench.rotate = 2;
  opt.bench.worker.timeoutSeconds = 120;
  std::string outDir = "synth-out", hint, baseline, fromDir, resumeDir,
              resultsPath;
  bool builtin = true, grid = false;
  std::vector<std::string> pos;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    auto val = [&]() -> const std::string & {
      if (i + 1 >= args.size())
        usage(a + " needs a value");
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kSynthHelp, stdout);
      return 0;
    } else if (a == "--device") {
      opt.bench.device = val();
    } else if (a == "--budget") {
      opt.budgetSeconds = number(a, val(), 1, 86400 * 7);
    } else if (a == "--candidates") {
      opt.maxCandidates = size_t(number(a, val(), 1, 1e6));
    } else if (a == "--hint") {
      hint = val();
    } else if (a == "-j") {
      opt.jobs = int(number(a, val(), 1, 256));
    } else if (a == "--out") {
      outDir = val();
    } else if (a == "--allow-unverified") {
      opt.allowUnverified = true;
    } else if (a == "--baseline") {
      baseline = val();
    } else if (a == "--from") {
      fromDir = val();
    } else if (a == "--no-builtin") {
      builtin = false;
    } else if (a == "--search") {
      const std::string &v = val();
      if (v != "guided" && v != "grid")
        usage("--search takes guided or grid, got '" + v + "'");
      grid = v == "grid";
    } else if (a == "--no-timing") {
      opt.timing = false;
    } else if (a == "--verify-deadline") {
      opt.verifyDeadline = number(a, val(), 1, 86400);
    } else if (a == "--max-memory") {
      opt.maxMemoryBytes = uint64_t(number(a, val(), 64, 1 << 30)) << 20;
    } else if (a == "--no-self-check") {
      opt.verifyArgs.push_back(a);
    } else if (a == "--summarize-above") {
      opt.verifyArgs.push_back(a);
      opt.verifyArgs.push_back(
          std::to_string(static_cast<long>(number(a, val(), 0, 1 << 30))));
    } else if (a == "--shape") {
      opt.bench.shape = shapeArg(val());
    } else if (a == "--iters") {
      opt.bench.iters = int(number(a, val(), 1, 100000));
    } else if (a == "--warmup") {
      opt.bench.warmup = int(number(a, val(), 0, 10000));
    } else if (a == "--rotate") {
      opt.bench.rotate = int(number(a, val(), 1, 64));
    } else if (a == "--flush-mb") {
      opt.bench.flushBytes = uint64_t(number(a, val(), 1, 1 << 20)) << 20;
    } else if (a == "--timeout") {
      opt.bench.worker.timeoutSeconds = number(a, val(), 1, 86400);
    } else if (a == "--emit-round") {
      opt.emitRound = val();
    } else if (a == "--resume") {
      resumeDir = val();
    } else if (a == "--results") {
      resultsPath = val();
    } else if (a.size() > 1 && a[0] == '-') {
      usage("unknown option '" + a + "'\n" + kSynthHelp);
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 1)
    usage(std::string("synth needs SPEC\n") + kSynthHelp);
  if (resumeDir.empty() != resultsPath.empty())
    usage("--resume and --results go together");
  if (!builtin && fromDir.empty())
    usage("--no-builtin leaves no generator; give --from DIR");
  if (!opt.maxMemoryBytes)
    opt.maxMemoryBytes = defaultMemoryCapBytes();
  opt.bench.maxMemoryBytes = opt.maxMemoryBytes;

  // A model file (MODEL.py) is imported first (issue 13: every command
  // that takes a spec takes a model file); the candidates' manifests and
  // the verify children then name the imported spec, written to --out.
  if (isModelFile(pos[0])) {
    fs::create_directories(outDir);
    std::string imported = (fs::path(outDir) / "spec.json").string();
    std::ofstream(imported)
        << importModel(pos[0], ImportOptions{}).dump(1) << "\n";
    pos[0] = imported;
  }
  spec::Spec s = spec::parseSpecFile(pos[0]);
  synth::Problem problem;
  problem.spec = &s;
  problem.specPath = pos[0];
  problem.hint = hint;
  problem.device = opt.bench.device;
  if (!baseline.empty())
    readBaseline(baseline, opt.pytorchEagerUs, opt.pytorchCompileUs);

  std::vector<synth::Outcome> earlier;
  if (!resumeDir.empty()) {
    earlier = synth::readRound(resumeDir, s);
    double eager = 0, compiled = 0;
    synth::applyResults(earlier, resumeDir, spec::readJsonFile(resultsPath), s,
                        eager, compiled);
    if (eager > 0 && opt.pytorchEagerUs == 0) {
      opt.pytorchEagerUs = eager;
      opt.pytorchCompileUs = compiled;
    }
    if (opt.emitRound.empty())
      opt.maxCandidates = 0, opt.timing = false; // report only, below
  }
  fs::create_directories(outDir);
  opt.outDir = outDir;
  opt.ksynthPath = selfPath();
  opt.stop = &gStop;
  opt.statusLine = ::isatty(STDERR_FILENO);
  opt.log = [](const std::string &line) {
    std::fprintf(stderr, "%s\n", line.c_str());
  };

  synth::Supervisor sup(problem, opt);
  if (builtin)
    sup.addGenerator(std::make_unique<synth::BuiltinGenerator>(grid));
  if (!fromDir.empty()) {
    fs::create_directories(fs::path(outDir) / "feedback");
    sup.addGenerator(std::make_unique<synth::FilesGenerator>(
        fromDir, (fs::path(outDir) / "feedback" / "files.jsonl").string()));
  }
  sup.preload(earlier);

  synth::ReportContext ctx;
  ctx.specPath = pos[0];
  ctx.device = opt.bench.device;
  ctx.outDir = outDir;
  ctx.pytorchEagerUs = opt.pytorchEagerUs;
  ctx.pytorchCompileUs = opt.pytorchCompileUs;
  ctx.benchShape = spec::formatBinding(opt.bench.shape.empty()
                                           ? runtime::defaultBenchShape(s)
                                           : opt.bench.shape);

  gStop = false;
  auto previous = std::signal(SIGINT, onSigint);
  synth::SynthResult r;
  if (!resumeDir.empty() && opt.emitRound.empty()) {
    r.outcomes = earlier;
    r.stopReason = "resumed round " + resumeDir + " (report only)";
    synth::rank(r, opt.pytorchEagerUs);
  } else {
    r = sup.run([&](const synth::SynthResult &sofar) {
      synth::writeReport(sofar, ctx);
    });
  }
  std::signal(SIGINT, previous);
  synth::writeReport(r, ctx);
  if (!opt.emitRound.empty())
    synth::writeRound(opt.emitRound, r, pos[0], ctx.benchShape);

  std::cout << "ksynth synth: " << r.outcomes.size() << " candidates, "
            << r.proved << " proved, " << r.refuted << " refuted, " << r.unknown
            << " unknown, " << r.errors << " errors, " << r.timed << " timed; "
            << r.stopReason << "\n";
  for (auto &[g, why] : r.unsupported)
    std::cout << "  generator " << g << " proposed nothing: " << why << "\n";
  if (r.best >= 0) {
    const synth::Outcome &b = r.outcomes[r.best];
    char line[256];
    std::snprintf(line, sizeof line, "best proven kernel: %s (%s), %.1f us",
                  b.cand.id.c_str(), b.cand.kind.c_str(), b.medianUs);
    std::cout << line;
    if (b.speedupNaive > 0) {
      std::snprintf(line, sizeof line, ", %.2fx over the naive lowering",
                    b.speedupNaive);
      std::cout << line;
    }
    if (b.speedupPytorch > 0) {
      std::snprintf(line, sizeof line, ", %.2fx over PyTorch eager",
                    b.speedupPytorch);
      std::cout << line;
    }
    std::cout << "\n  " << (fs::path(outDir) / "best.cl").string() << ", "
              << (fs::path(outDir) / "best.json").string() << "\n";
  }
  if (!opt.emitRound.empty())
    std::cout << "round written to " << opt.emitRound
              << " (jobs/*.json, round.json): run bench/gpu/run_on_gpu.sh "
              << opt.emitRound << "/jobs on the device machine, then "
              << "`ksynth synth SPEC --resume " << opt.emitRound
              << " --results results.json`\n";
  std::cout << "report: " << (fs::path(outDir) / "report.md").string() << ", "
            << (fs::path(outDir) / "report.json").string() << "\n";
  bool found =
      r.best >= 0 || ((!opt.timing || !opt.emitRound.empty()) && r.proved > 0);
  return found ? 0 : toInt(ExitCode::Unknown);
}

} // namespace ksynth::cli
