// ksynth devices / run / bench: hardware in the loop through the isolated
// OpenCL worker (runtime/README.md).
#include "Commands.h"
#include "Import.h"
#include "MemoryWatchdog.h"

#include "runtime/Bench.h"
#include "runtime/DeviceList.h"
#include "runtime/Differential.h"
#include "runtime/Job.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "support/Error.h"
#include "verify/compile/Compile.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::cli {

namespace {

const char *kDevicesHelp =
    "usage: ksynth devices [--json]\n"
    "  lists OpenCL platforms and devices; the default device is PoCL's CPU\n"
    "  device if present, else the first one\n";

const char *kRunHelp =
    "usage: ksynth run SPEC MANIFEST [options]\n"
    "  differential test on an OpenCL device against the spec's interpreter\n"
    "  --device D          index, PLATFORM:DEVICE, or a name substring\n"
    "  --shape K=V[,K=V]   test at this shape (repeatable; default: the\n"
    "                      spec's shapes)\n"
    "  --seed S            input seed (default 1)\n"
    "  --trials K          rounds over the 6 input distributions (default 1)\n"
    "  --replay VERDICT    run the counterexample of a `ksynth verify --json`\n"
    "                      document instead of generated inputs\n"
    "  --timeout SEC       worker deadline (default 30)\n"
    "  --max-memory MB     host memory cap for ksynth and its worker (device\n"
    "                      buffers of a CPU device count): a job estimated\n"
    "                      to need more is not run, and one that grows past\n"
    "                      it is stopped (default: half of physical memory)\n"
    "  --source            build the OpenCL C source even where the device\n"
    "                      takes SPIR bitcode\n"
    "  --json              print the report as JSON\n"
    "  --emit-job FILE     write the worker job (one shape) and exit, to run\n"
    "                      `ksynth-worker FILE RESULT` on another machine\n"
    "  --result FILE       analyse such a result (same options) instead of\n"
    "                      running\n"
    "exit codes: 0 pass, 10 mismatch or fault found, 7 candidate failed to\n"
    "run (build error, crash, hang), 5 too large for --max-memory (nothing\n"
    "said about the candidate), 2 bad input, 1 usage\n";

const char *kBenchHelp =
    "usage: ksynth bench SPEC MANIFEST [options]\n"
    "  times a candidate after differential testing it (a failing kernel is\n"
    "  never timed), beside the floor: max(bytes moved / measured copy\n"
    "  bandwidth, the spec's flops / measured float32 peak)\n"
    "  --device D          index, PLATFORM:DEVICE, or a name substring\n"
    "  --shape K=V[,K=V]   bench shape (default: the spec's largest)\n"
    "  --warmup W          warm-up launches (default 3)\n"
    "  --iters I           timed launches (default 100)\n"
    "  --rotate K          rotated input buffer sets (default 4)\n"
    "  --seed S            input seed (default 1)\n"
    "  --flush-mb MB       cache-flush buffer (default max(2x cache, 256))\n"
    "  --timeout SEC       worker deadline (default 300)\n"
    "  --max-memory MB     host memory cap, as for `ksynth run` (default:\n"
    "                      half of physical memory)\n"
    "  --source            build the OpenCL C source even where the device\n"
    "                      takes SPIR bitcode\n"
    "  --json FILE         also write Google Benchmark-compatible JSON\n"
    "  --emit-job FILE     write the worker job (with reference digests) and\n"
    "                      exit, to run `ksynth-worker FILE RESULT` elsewhere\n"
    "  --result FILE       report a worker result made elsewhere (from a job\n"
    "                      written by --emit-job) instead of running\n"
    "exit codes: 0 timed, 10 refused (wrong output), 7 candidate failed to\n"
    "run, 5 too large for --max-memory, 2 bad input, 1 usage\n";

[[noreturn]] void usage(const std::string &msg) {
  throw UserError(ExitCode::Usage, msg);
}

uint64_t parseU64(const std::string &flag, const std::string &v) {
  try {
    size_t pos = 0;
    // "2^26" is accepted for sizes.
    if (size_t caret = v.find('^'); caret != std::string::npos) {
      uint64_t base = std::stoull(v.substr(0, caret), &pos);
      uint64_t exp = std::stoull(v.substr(caret + 1));
      uint64_t r = 1;
      for (uint64_t i = 0; i < exp; ++i) {
        if (r > UINT64_MAX / (base ? base : 1))
          throw std::out_of_range(v);
        r *= base;
      }
      return r;
    }
    uint64_t x = std::stoull(v, &pos);
    if (pos != v.size() || v[0] == '-')
      throw std::invalid_argument(v);
    return x;
  } catch (const std::exception &) {
    usage(flag + " needs a non-negative integer, got '" + v + "'");
  }
}

double parseSeconds(const std::string &flag, const std::string &v) {
  try {
    size_t pos = 0;
    double x = std::stod(v, &pos);
    if (pos != v.size() || !(x > 0) || x > 86400)
      throw std::invalid_argument(v);
    return x;
  } catch (const std::exception &) {
    usage(flag + " needs a positive number of seconds, got '" + v + "'");
  }
}

spec::ShapeBinding parseShape(const std::string &s) {
  spec::ShapeBinding b;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string kv = s.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      usage("--shape expects K=V[,K=V], got '" + s + "'");
    uint64_t v = parseU64("--shape", kv.substr(eq + 1));
    if (v == 0 || v > (uint64_t(1) << 31))
      usage("--shape: " + kv + " is out of range (1 .. 2^31)");
    b[kv.substr(0, eq)] = static_cast<int64_t>(v);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return b;
}

// Splits args into positionals and flag values; `flags` maps each flag
// taking a value to its handler, `switches` each flag without one.
std::vector<std::string>
parseArgs(const std::vector<std::string> &args,
          const std::map<std::string, std::function<void(const std::string &)>>
              &flags,
          const std::map<std::string, std::function<void()>> &switches) {
  std::vector<std::string> pos;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (auto f = flags.find(a); f != flags.end()) {
      if (i + 1 >= args.size())
        usage(a + " needs a value");
      f->second(args[++i]);
    } else if (auto s = switches.find(a); s != switches.end()) {
      s->second();
    } else if (a.size() > 1 && a[0] == '-') {
      usage("unknown option '" + a + "'");
    } else {
      pos.push_back(a);
    }
  }
  return pos;
}

runtime::ProgramImage program(const spec::Manifest &m, bool fromSource) {
  runtime::ProgramImage p =
      runtime::programImage(m, fromSource ? "" : verify::compileToBitcode(m));
  if (fromSource)
    p.prefer = "source";
  return p;
}

uint64_t parseMemoryCap(const std::string &v) {
  uint64_t mb = parseU64("--max-memory", v);
  if (mb == 0 || mb > (uint64_t(1) << 40))
    usage("--max-memory needs a positive number of MB");
  return mb << 20;
}

// The hard memory cap of run and bench (MemoryWatchdog.h): past it, a
// "too-large" report (JSON on stdout with --json) and exit 5.
std::unique_ptr<MemoryWatchdog> memoryCap(const std::string &command,
                                          uint64_t capBytes, bool json,
                                          const std::string &specPath,
                                          const std::string &manifestPath) {
  std::string msg = "hard memory cap: ksynth and its worker held " +
                    std::string(kResidentToken) +
                    " MB resident, over --max-memory " +
                    std::to_string(capBytes >> 20) +
                    " MB; stopped (worker killed), nothing is said about the "
                    "candidate; raise --max-memory or use a smaller shape";
  nlohmann::json doc{
      {"verdict", "too-large"},   {"exit_code", 5},
      {"message", msg},           {"spec", specPath},
      {"manifest", manifestPath}, {"sets", nlohmann::json::array()}};
  return std::make_unique<MemoryWatchdog>(
      capBytes, json ? doc.dump(2) + "\n" : "",
      "ksynth " + command + ": " + msg + "\n", "", "");
}

void writeText(const std::string &path, const std::string &text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f)
    throw UserError(ExitCode::InputError, "cannot write " + path);
}

} // namespace

int cmdDevices(const std::vector<std::string> &args) {
  bool json = false, help = false;
  std::vector<std::string> pos = parseArgs(args, {},
                                           {{"--json", [&] { json = true; }},
                                            {"--help", [&] { help = true; }},
                                            {"-h", [&] { help = true; }}});
  if (help) {
    std::fputs(kDevicesHelp, stdout);
    return 0;
  }
  if (!pos.empty())
    usage(std::string("devices takes no arguments\n") + kDevicesHelp);
  runtime::WorkerOptions w;
  w.timeoutSeconds = 60;
  nlohmann::json listing = runtime::listDevices(w);
  if (json) {
    nlohmann::json out{
        {"devices", listing.value("devices", nlohmann::json::array())},
        {"default", listing.value("default", nlohmann::json())}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << runtime::formatDevices(listing);
  }
  return 0;
}

int cmdRun(const std::vector<std::string> &args) {
  runtime::RunOptions opt;
  std::string replay, resultPath;
  bool json = false, help = false, fromSource = false;
  std::vector<std::string> pos = parseArgs(
      args,
      {{"--device", [&](const std::string &v) { opt.device = v; }},
       {"--shape",
        [&](const std::string &v) { opt.shapes.push_back(parseShape(v)); }},
       {"--seed",
        [&](const std::string &v) { opt.seed = parseU64("--seed", v); }},
       {"--trials",
        [&](const std::string &v) {
          uint64_t t = parseU64("--trials", v);
          if (t < 1 || t > 1000)
            usage("--trials must be 1..1000");
          opt.trials = static_cast<int>(t);
        }},
       {"--replay", [&](const std::string &v) { replay = v; }},
       {"--emit-job", [&](const std::string &v) { opt.emitJob = v; }},
       {"--result", [&](const std::string &v) { resultPath = v; }},
       {"--timeout",
        [&](const std::string &v) {
          opt.worker.timeoutSeconds = parseSeconds("--timeout", v);
        }},
       {"--max-memory",
        [&](const std::string &v) { opt.maxMemoryBytes = parseMemoryCap(v); }}},
      {{"--json", [&] { json = true; }},
       {"--source", [&] { fromSource = true; }},
       {"--help", [&] { help = true; }},
       {"-h", [&] { help = true; }}});
  if (help) {
    std::fputs(kRunHelp, stdout);
    return 0;
  }
  if (pos.size() != 2)
    usage(std::string("run needs SPEC and MANIFEST\n") + kRunHelp);
  if (!replay.empty() && !opt.shapes.empty())
    usage("--replay runs the counterexample's shape; drop --shape");
  if (!opt.emitJob.empty() && !resultPath.empty())
    usage("--emit-job and --result exclude each other");
  if (!opt.maxMemoryBytes)
    opt.maxMemoryBytes = defaultMemoryCapBytes();
  std::unique_ptr<MemoryWatchdog> cap =
      memoryCap("run", opt.maxMemoryBytes, json, pos[0], pos[1]);
  spec::Spec s = loadSpecArg(pos[0]);
  spec::Manifest m = spec::parseManifestFile(pos[1], s);
  nlohmann::json result;
  if (!resultPath.empty()) {
    result = spec::readJsonFile(resultPath);
    opt.result = &result;
  }
  runtime::ProgramImage p = program(m, fromSource);
  runtime::RunReport r =
      replay.empty() ? runtime::differentialTest(s, m, p, opt)
                     : runtime::replayCounterexample(
                           s, m, p, spec::readJsonFile(replay), replay, opt);
  cap->finish();
  if (json && r.verdict == "too-large")
    std::cerr << "ksynth run: " << r.message << "\n";
  if (json)
    std::cout << runtime::runReportJson(r, s, m).dump(2) << "\n";
  else
    std::cout << runtime::formatRunReport(r, s, m);
  return r.exitCode;
}

int cmdBench(const std::vector<std::string> &args) {
  runtime::BenchOptions opt;
  opt.worker.timeoutSeconds = 300;
  std::string jsonPath, emitPath, resultPath;
  bool help = false, fromSource = false, timeoutGiven = false;
  std::vector<spec::ShapeBinding> shapes;
  auto count = [&](const std::string &flag, const std::string &v, int lo,
                   int hi) {
    uint64_t x = parseU64(flag, v);
    if (x < uint64_t(lo) || x > uint64_t(hi))
      usage(flag + " must be " + std::to_string(lo) + ".." +
            std::to_string(hi));
    return static_cast<int>(x);
  };
  std::vector<std::string> pos = parseArgs(
      args,
      {{"--device", [&](const std::string &v) { opt.device = v; }},
       {"--shape",
        [&](const std::string &v) { shapes.push_back(parseShape(v)); }},
       {"--warmup",
        [&](const std::string &v) {
          opt.warmup = count("--warmup", v, 0, 10000);
        }},
       {"--iters",
        [&](const std::string &v) {
          opt.iters = count("--iters", v, 1, 100000);
        }},
       {"--rotate",
        [&](const std::string &v) {
          opt.rotate = count("--rotate", v, 1, 64);
        }},
       {"--seed",
        [&](const std::string &v) { opt.seed = parseU64("--seed", v); }},
       {"--flush-mb",
        [&](const std::string &v) {
          opt.flushBytes = uint64_t(count("--flush-mb", v, 1, 1 << 20)) << 20;
        }},
       {"--timeout",
        [&](const std::string &v) {
          opt.worker.timeoutSeconds = parseSeconds("--timeout", v);
          timeoutGiven = true;
        }},
       {"--max-memory",
        [&](const std::string &v) { opt.maxMemoryBytes = parseMemoryCap(v); }},
       {"--json", [&](const std::string &v) { jsonPath = v; }},
       {"--emit-job", [&](const std::string &v) { emitPath = v; }},
       {"--result", [&](const std::string &v) { resultPath = v; }}},
      {{"--source", [&] { fromSource = true; }},
       {"--help", [&] { help = true; }},
       {"-h", [&] { help = true; }}});
  if (help) {
    std::fputs(kBenchHelp, stdout);
    return 0;
  }
  if (pos.size() != 2)
    usage(std::string("bench needs SPEC and MANIFEST\n") + kBenchHelp);
  if (shapes.size() > 1)
    usage("bench times one shape; give --shape once");
  if (!emitPath.empty() && !resultPath.empty())
    usage("--emit-job and --result exclude each other");
  if (!shapes.empty())
    opt.shape = shapes[0];
  if (!opt.maxMemoryBytes)
    opt.maxMemoryBytes = defaultMemoryCapBytes();
  std::unique_ptr<MemoryWatchdog> cap =
      memoryCap("bench", opt.maxMemoryBytes, false, pos[0], pos[1]);
  spec::Spec s = loadSpecArg(pos[0]);
  spec::Manifest m = spec::parseManifestFile(pos[1], s);
  spec::ShapeBinding shape =
      opt.shape.empty() ? runtime::defaultBenchShape(s) : opt.shape;

  runtime::BenchReport r;
  if (!resultPath.empty()) {
    nlohmann::json result = spec::readJsonFile(resultPath);
    if (result.contains("meta") && result.at("meta").contains("shape") &&
        shapes.empty())
      shape = result.at("meta").at("shape").get<spec::ShapeBinding>();
    r = runtime::benchFromResult(result, s, m, shape);
  } else {
    runtime::ProgramImage p = program(m, fromSource);
    if (!emitPath.empty()) {
      writeText(emitPath, runtime::benchJob(s, m, p, opt).dump() + "\n");
      std::cerr << "ksynth bench: wrote " << emitPath << " ("
                << runtime::benchName(s, m, shape) << "); run `ksynth-worker "
                << emitPath
                << " RESULT.json` on the target, then `ksynth bench SPEC "
                   "MANIFEST --result RESULT.json`\n";
      return 0;
    }
    std::cerr << "note: timing a kernel that `ksynth verify` has not proved "
                 "is at your own risk; differential testing runs first and a "
                 "failing kernel is not timed\n";
    runtime::RunOptions check;
    check.device = opt.device;
    check.seed = opt.seed;
    check.maxMemoryBytes = opt.maxMemoryBytes;
    if (timeoutGiven)
      check.worker.timeoutSeconds = opt.worker.timeoutSeconds;
    r = runtime::benchCandidate(s, m, p, opt, check);
    if (r.check && r.check->exitCode != 0)
      std::cout << runtime::formatRunReport(*r.check, s, m);
  }
  cap->finish();
  std::cout << runtime::formatBenchReport(r);
  if (!jsonPath.empty() && r.verdict == "timed")
    writeText(jsonPath, runtime::googleBenchmarkJson(r).dump(2) + "\n");
  return r.exitCode;
}

} // namespace ksynth::cli
