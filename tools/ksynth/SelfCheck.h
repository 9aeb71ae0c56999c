// The self-check of a proof (defence in depth): after `ksynth verify`
// proves a candidate, the exact compiled program (the spir64 bitcode the
// verifier analysed, built by PoCL through the runtime's isolated worker) is
// run on adversarial inputs (runtime/worker/Generate.h, Dist::Adversarial:
// every special value, every NaN class, subnormals, the domain's edges,
// random bit patterns; never outside the declared domain) at the verified
// shapes (those small enough: see SelfCheckOptions), and its outputs are
// compared with the spec's reference under the spec's comparison. A
// disagreement contradicts the proof: a ksynth bug, reported as an internal
// error with a reproducible bug report (replayable with `ksynth run SPEC
// MANIFEST --replay REPORT`). Without a worker or an OpenCL device that
// takes the SPIR bitcode the check is skipped, and the verdict says so.
#pragma once

#include "spec/Manifest.h"
#include "spec/Spec.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ksynth::cli {

struct SelfCheckOptions {
  double timeoutSeconds = 60; // the worker's deadline, all shapes together
  // Shapes run, smallest first, while their elements (inputs plus outputs,
  // times input sets) add up to at most this; the smallest shape is run if
  // it alone has at most maxElementsOne.
  uint64_t maxElements = uint64_t(1) << 17;
  uint64_t maxElementsOne = uint64_t(1) << 20;
  std::string bugReportDir; // empty: the system's temporary directory
  std::string device;       // --device for the worker ("": PoCL)
};

struct SelfCheckResult {
  std::string status = "skipped"; // passed | failed | skipped
  std::string reason;             // skipped, failed: why
  std::string device;             // the device's name
  std::string program;            // "binary" (the bitcode) or "source"
  uint64_t inputs = 0;            // input sets run
  uint64_t elements = 0;          // output elements compared
  double seconds = 0;
  std::vector<std::string> shapes;        // run
  std::vector<std::string> shapesSkipped; // not run (too large)
  std::string bugReport;                  // failed: the report's path
  nlohmann::json toJson() const;
  std::string toText() const; // "  self-check: ..." lines
};

SelfCheckResult skippedSelfCheck(const std::string &reason);

// Runs the check for a proved candidate. Never throws for device problems
// (they make it skipped).
SelfCheckResult selfCheckProof(const spec::Spec &s, const spec::Manifest &m,
                               const SelfCheckOptions &opt);

} // namespace ksynth::cli
