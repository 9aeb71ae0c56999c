// The synthesizer's supervisor (`ksynth synth`): rounds of asking the
// generators for candidates, verifying each in a `ksynth verify` child
// process (its own deadline and memory cap, -j in parallel), timing only
// the proven ones on the device through the runtime (differential test
// first, then the bench job), ranking, and feeding every outcome back.
// A candidate that is not proven is never timed (--allow-unverified times
// an unknown one, marked unverified, never the result). Hardware rounds on
// another machine: --emit-round writes the proven candidates as bench jobs,
// --resume reads the worker's results back (Round.h).
#pragma once

#include "synth/Generator.h"

#include "runtime/Bench.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ksynth::synth {

struct SupervisorOptions {
  std::string ksynthPath; // the ksynth binary run as `ksynth verify`
  std::string outDir;
  double budgetSeconds = 0; // 0: none
  size_t maxCandidates = 0; // 0: none
  int jobs = 1;
  double verifyDeadline = 120;         // per candidate, seconds
  uint64_t maxMemoryBytes = 0;         // all verify children together
  std::vector<std::string> verifyArgs; // passed through to `ksynth verify`
  bool allowUnverified = false;
  bool timing = true; // false: verify only (--no-timing, --emit-round)
  runtime::BenchOptions bench;
  double pytorchEagerUs = 0, pytorchCompileUs = 0; // --baseline
  std::string emitRound;   // write proven candidates as bench jobs here
  bool statusLine = false; // a live line (TTY)
  std::function<void(const std::string &)> log; // one line, no newline
  const std::atomic<bool> *stop = nullptr;      // set by SIGINT
};

struct SynthResult;
// Called after every round (the report so far is written from it).
using RoundHook = std::function<void(const SynthResult &)>;

struct SynthResult {
  std::vector<Outcome> outcomes;
  int best = -1;  // index of the fastest proven, timed candidate
  int naive = -1; // index of the naive lowering
  bool interrupted = false;
  std::string stopReason;
  double wallSeconds = 0;
  std::vector<std::pair<std::string, std::string>> unsupported; // gen, why
  int proved = 0, refuted = 0, unknown = 0, errors = 0, timed = 0;
  // A generator's fatal error (Generator::fatal) that ended the run.
  std::string fatal;
  // Generator::report() of each generator that has one, by name.
  nlohmann::json generatorReports = nlohmann::json::object();
};

class Supervisor {
public:
  Supervisor(Problem problem, SupervisorOptions opt);
  void addGenerator(std::unique_ptr<Generator> g);
  // Outcomes of an earlier round (--resume): given to their generators'
  // observe() first and kept in the report.
  void preload(std::vector<Outcome> earlier);
  SynthResult run(const RoundHook &afterRound = nullptr);
  const spec::Spec &spec() const { return *problem_.spec; }

private:
  void verifyBatch(std::vector<Outcome *> batch);
  void verifyOne(Outcome &o);
  void time(Outcome &o);
  void emit(Outcome &o);
  void finishRanking(SynthResult &r);
  void status(const SynthResult &r, bool final);
  void collectReports(SynthResult &r) const;

  Problem problem_;
  SupervisorOptions opt_;
  std::vector<std::unique_ptr<Generator>> gens_;
  std::vector<Outcome> preloaded_;
};

// Fills speedups and best/naive of `r` from its outcomes.
void rank(SynthResult &r, double pytorchEagerUs);

} // namespace ksynth::synth
