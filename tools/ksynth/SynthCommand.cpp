// ksynth synth: the synthesizer's command line (synth/Supervisor.h): the
// generators, the verify children, timing on the device, the reports, the
// live status line, SIGINT, and hardware rounds (--emit-round/--resume).
#include "Commands.h"
#include "Import.h"
#include "MemoryWatchdog.h"

#include "runtime/Bench.h"
#include "runtime/DeviceList.h"
#include "spec/Spec.h"
#include "support/Error.h"
#include "synth/AgentGenerator.h"
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
#include <sstream>
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
    "  -j N                verify N candidates at once, and run N LLM\n"
    "                      agents (default 1)\n"
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
    "  --agent A[,A...]    generators: builtin (the default), openai,\n"
    "                      anthropic, local (an OpenAI-compatible server:\n"
    "                      llama.cpp, vLLM, Ollama); without builtin in the\n"
    "                      list the built-in generator is off. LLM agents:\n"
    "                      max(-j, number of LLM entries), each with a\n"
    "                      strategy hint; keys from OPENAI_API_KEY /\n"
    "                      ANTHROPIC_API_KEY (optional for local)\n"
    "  --model NAME        the model (needed for openai and anthropic); or\n"
    "                      KIND=NAME[,KIND=NAME] per agent kind\n"
    "  --base-url URL      the provider's server (default: api.openai.com,\n"
    "                      api.anthropic.com, local: http://127.0.0.1:8080);\n"
    "                      or KIND=URL[,KIND=URL]\n"
    "  --ca-file F         extra CA certificates for https (TLS is always\n"
    "                      verified)\n"
    "  --max-requests N    requests of all agents together (default 40;\n"
    "                      0: none)\n"
    "  --max-tokens N      prompt + reply tokens of all agents (default:\n"
    "                      none); checked before each round of requests\n"
    "  --http-timeout SEC  per request (default 300); --connect-timeout SEC\n"
    "                      (default 10); --http-retries N on 429, 5xx,\n"
    "                      connection errors, timeouts (default 4);\n"
    "                      --max-response-kb KB (default 4096)\n"
    "  --record DIR        store every request and response (keys\n"
    "                      redacted), DIR/<agent>/<turn>.json\n"
    "  --replay DIR        take the agents' responses from a recording, no\n"
    "                      network (same command line otherwise)\n"
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
    "is timed), 5 none, 1 usage (also a missing API key or --model), 2 bad\n"
    "spec or options, an LLM provider's authentication failure or unknown\n"
    "model (the report is written first)\n";

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

// The value of --model / --base-url for agent kind `kind`: VALUE for every
// kind, or KIND=VALUE[,KIND=VALUE...] ("" where the kind is not listed).
std::string perKind(const std::string &flag, const std::string &v,
                    const std::string &kind) {
  if (v.find('=') == std::string::npos || v.rfind("http://", 0) == 0 ||
      v.rfind("https://", 0) == 0)
    return v;
  std::stringstream ss(v);
  std::string r;
  for (std::string kv; std::getline(ss, kv, ',');) {
    size_t eq = kv.find('=');
    std::string k = kv.substr(0, eq);
    if (eq == std::string::npos ||
        (k != "openai" && k != "anthropic" && k != "local"))
      usage(flag +
            " expects VALUE or KIND=VALUE[,KIND=VALUE] (KIND: "
            "openai, anthropic, local), got '" +
            v + "'");
    if (k == kind)
      r = kv.substr(eq + 1);
  }
  return r;
}

// The device's facts for the agents' prompts: the entry of `ksynth
// devices` that --device names (an index or a name substring; the default
// device without it); null when the worker cannot list them.
nlohmann::json deviceFacts(const std::string &device) {
  try {
    runtime::WorkerOptions w;
    nlohmann::json l = runtime::listDevices(w);
    const nlohmann::json &devs = l.at("devices");
    if (device.empty()) {
      for (const auto &d : devs)
        if (d.value("index", -1) == l.value("default", -2))
          return d;
      return nullptr;
    }
    for (const auto &d : devs)
      if (std::to_string(d.value("index", -1)) == device ||
          d.value("name", "").find(device) != std::string::npos ||
          d.value("platform", "").find(device) != std::string::npos)
        return d;
  } catch (const std::exception &) {
  }
  return nullptr;
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
  std::string agentList, model, baseUrl, caFile, recordDir, replayDir;
  synth::AgentOptions agentOpt;
  std::vector<std::string> llmKinds;
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
    } else if (a == "--agent") {
      agentList = val();
    } else if (a == "--model") {
      model = val();
    } else if (a == "--base-url") {
      baseUrl = val();
    } else if (a == "--ca-file") {
      caFile = val();
    } else if (a == "--max-requests") {
      agentOpt.maxRequests = uint64_t(number(a, val(), 0, 1e9));
    } else if (a == "--max-tokens") {
      agentOpt.maxTokens = uint64_t(number(a, val(), 0, 1e12));
    } else if (a == "--http-timeout") {
      agentOpt.http.totalTimeoutSeconds = number(a, val(), 1, 86400);
    } else if (a == "--connect-timeout") {
      agentOpt.http.connectTimeoutSeconds = number(a, val(), 1, 3600);
    } else if (a == "--http-retries") {
      agentOpt.http.maxRetries = int(number(a, val(), 0, 20));
    } else if (a == "--max-response-kb") {
      agentOpt.http.maxResponseBytes = size_t(number(a, val(), 1, 1 << 20))
                                       << 10;
    } else if (a == "--record") {
      recordDir = val();
    } else if (a == "--replay") {
      replayDir = val();
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
  if (!agentList.empty()) {
    bool listed = false;
    std::stringstream ss(agentList);
    for (std::string k; std::getline(ss, k, ',');) {
      if (k == "builtin")
        listed = true;
      else if (k == "openai" || k == "anthropic" || k == "local")
        llmKinds.push_back(k);
      else
        usage("--agent: unknown agent '" + k +
              "' (builtin, openai, anthropic or local)");
    }
    builtin = builtin && listed;
  }
  if (llmKinds.empty() &&
      (!model.empty() || !baseUrl.empty() || !caFile.empty() ||
       !recordDir.empty() || !replayDir.empty()))
    usage("--model, --base-url, --ca-file, --record and --replay need an LLM "
          "agent (--agent openai|anthropic|local)");
  if (!recordDir.empty() && !replayDir.empty())
    usage("--record and --replay exclude each other");
  if (!recordDir.empty() && fs::is_directory(recordDir) &&
      !fs::is_empty(recordDir))
    usage("--record " + recordDir +
          ": not empty (a new recording needs an empty or new folder)");
  if (!caFile.empty() && !fs::is_regular_file(caFile))
    usage("--ca-file " + caFile + ": no such file");
  if (!builtin && fromDir.empty() && llmKinds.empty())
    usage("no generator left (--no-builtin or --agent without builtin); "
          "give --from DIR or an LLM agent");
  for (const std::string &k : llmKinds)
    agentOpt.providers.push_back(synth::providerConfig(
        k, perKind("--model", model, k), perKind("--base-url", baseUrl, k),
        replayDir.empty()));
  if (!opt.maxMemoryBytes)
    opt.maxMemoryBytes = defaultMemoryCapBytes();
  opt.bench.maxMemoryBytes = opt.maxMemoryBytes;

  // A model file (MODEL.py) is imported first (issue 13: every command
  // that takes a spec takes a model file); the candidates' manifests and
  // the verify children then name the imported spec, written to --out.
  std::string modelPath, modelSource;
  if (isModelFile(pos[0])) {
    modelPath = pos[0];
    std::ifstream mf(pos[0], std::ios::binary);
    modelSource.assign(std::istreambuf_iterator<char>(mf),
                       std::istreambuf_iterator<char>());
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
  problem.modelPath = modelPath;
  problem.modelSource = modelSource;
  problem.benchShape = spec::formatBinding(opt.bench.shape.empty()
                                               ? runtime::defaultBenchShape(s)
                                               : opt.bench.shape);
  if (!llmKinds.empty())
    problem.deviceInfo = deviceFacts(opt.bench.device);
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
  if (!llmKinds.empty()) {
    agentOpt.agents = std::max<int>(opt.jobs, int(llmKinds.size()));
    agentOpt.http.caFile = caFile;
    agentOpt.recordDir = recordDir;
    agentOpt.replayDir = replayDir;
    agentOpt.scratchDir = (fs::path(outDir) / "agents").string();
    agentOpt.log = opt.log;
    agentOpt.stop = &gStop;
    agentOpt.http.log = [&opt](const std::string &line) {
      opt.log("agents: " + line);
    };
    sup.addGenerator(std::make_unique<synth::AgentGenerator>(agentOpt));
  }
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
  if (!r.fatal.empty())
    throw UserError(ExitCode::InputError, "synth: " + r.fatal);
  bool found =
      r.best >= 0 || ((!opt.timing || !opt.emitRound.empty()) && r.proved > 0);
  return found ? 0 : toInt(ExitCode::Unknown);
}

} // namespace ksynth::cli
