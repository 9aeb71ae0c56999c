// Differential testing of a candidate on a device against the spec's
// reference interpreter (`ksynth run`), and replay of a `ksynth verify`
// counterexample on the device (`ksynth run --replay`).
//
// Per shape binding, one worker job runs every input set twice, with the
// outputs and temporaries poisoned differently before each run. A set
// fails when an output element
//   * differs from the reference under the spec's tolerance  (mismatch),
//   * holds its run's poison in every run                     (unwritten),
//   * differs between the two runs                       (nondeterministic),
// or when an input buffer changed                          (input-modified).
#pragma once

#include "runtime/Failure.h"
#include "runtime/Job.h"
#include "runtime/Worker.h"
#include "runtime/worker/Generate.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ksynth::runtime {

struct RunOptions {
  std::vector<spec::ShapeBinding> shapes; // empty: every shape of the spec
  uint64_t seed = 1;
  int trials = 1; // rounds over the distributions, each with fresh seeds
  std::vector<gen::Dist> dists = gen::allDists();
  std::string device; // --device (Job.h deviceSelection)
  WorkerOptions worker;
  size_t maxReported = 8; // elements listed per output and problem
  // --max-memory: a job whose host memory (ksynth's and the worker's,
  // device buffers counted as host memory) would exceed this is not run:
  // exit 5, verdict "too-large" (0: no check).
  uint64_t maxMemoryBytes = 0;
  // Instead of running the worker here (both need exactly one shape):
  std::string emitJob;                    // write the job to this file
  const nlohmann::json *result = nullptr; // analyse this worker result
};

struct ElementReport {
  std::string output;
  int64_t flat = 0;
  std::vector<int64_t> index;
  std::string expected, got, gotRun2; // described (Compare.h)
  uint64_t expectedBits = 0, gotBits = 0;
  std::vector<std::pair<std::string, std::string>> inputs; // name, value
  double badness = 0;
};

struct OutputReport {
  std::string name;
  int64_t elements = 0;
  int64_t mismatched = 0, unwritten = 0, differing = 0;
  std::vector<ElementReport> worst;       // mismatches, worst first
  std::vector<ElementReport> unwrittenAt; // first unwritten elements
  std::vector<ElementReport> differingAt; // first run-to-run differences
};

struct SetReport {
  std::string label; // distribution ("normal", ...) or "replay"
  int trial = 0;
  spec::ShapeBinding shape;
  std::vector<OutputReport> outputs;
  std::vector<std::string> modifiedInputs; // "x: 3 elements, first [0]"
  // "mismatch", "unwritten", "nondeterministic", "input-modified"
  std::vector<std::string> problems() const;
  bool passed() const { return problems().empty(); }
};

struct ReplayFocus {
  std::string obligation, detail, output;
  int64_t flat = -1;
  std::vector<int64_t> index;
  std::string reference, device, deviceRun2; // described
  bool deviceMatches = true;
  std::string verdictReference, verdictCandidate; // from the verdict
  bool referenceAgreesWithVerdict = true;
};

struct RunReport {
  int exitCode = 0;    // support/Error.h: 0, 10, 7, 5, 1, 6
  std::string verdict; // pass | fail | failed-to-run | error | too-large
  std::string message; // one line
  std::optional<Failure> failure;
  nlohmann::json device;  // the worker's device facts
  nlohmann::json program; // from: binary | source, options, note
  std::vector<SetReport> sets;
  std::optional<ReplayFocus> replay;
  uint64_t seed = 0;
};

RunReport differentialTest(const spec::Spec &s, const spec::Manifest &m,
                           const ProgramImage &program, const RunOptions &opt);

// Runs the given input sets (e.g. explicit bytes) at one binding in one
// worker job and analyses every set as differentialTest does (used by the
// self-check of `ksynth verify`). RunOptions' shapes, seed, trials and
// dists are not used.
RunReport runInputSets(const spec::Spec &s, const spec::Manifest &m,
                       const ProgramImage &program, const JobPlan &plan,
                       const std::vector<InputSet> &sets,
                       const RunOptions &opt);

// Replays verdict["counterexample"] (docs/verdict-format.md). Throws
// UserError (InputError) naming `verdictPath` if there is none or it does
// not fit the spec.
RunReport replayCounterexample(const spec::Spec &s, const spec::Manifest &m,
                               const ProgramImage &program,
                               const nlohmann::json &verdict,
                               const std::string &verdictPath,
                               const RunOptions &opt);

// Human-readable report (several lines) and the --json document.
std::string formatRunReport(const RunReport &r, const spec::Spec &s,
                            const spec::Manifest &m);
nlohmann::json runReportJson(const RunReport &r, const spec::Spec &s,
                             const spec::Manifest &m);

} // namespace ksynth::runtime
