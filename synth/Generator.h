// The generator interface of the synthesizer. The built-in generator
// (BuiltinGenerator.h), the candidate-folder generator (FilesGenerator.h)
// and later LLM agents (issue 16) implement it; the supervisor
// (Supervisor.h) asks each for candidates round by round and hands back
// every outcome (verdict, counterexample, compile error, timing).
#pragma once

#include "synth/Candidate.h"

#include "spec/Spec.h"

#include <string>
#include <vector>

namespace ksynth::synth {

struct Problem {
  const spec::Spec *spec = nullptr;
  std::string specPath;
  std::string hint;   // --hint TEXT, free text for generators that read it
  std::string device; // --device, as given
  // Measured on the device by the first timed candidate (0 until then): the
  // cost model's bandwidth.
  double copyGBps = 0;
  double peakGflops = 0; // measured float32 peak (0 until measured)
  // For LLM agents' prompts (issue 16): the model file's text when the spec
  // was imported from one, the device's facts (`ksynth devices --json`'s
  // entry; null when unknown) and the shape candidates are timed at.
  std::string modelPath, modelSource;
  nlohmann::json deviceInfo;
  std::string benchShape;
};

class Generator {
public:
  virtual ~Generator() = default;
  virtual std::string name() const = 0;
  // Up to `max` candidates not proposed before. `history` is every outcome
  // so far, in order (every generator's, this one's included). An empty
  // answer means this generator has nothing new.
  virtual std::vector<Candidate> propose(const Problem &p,
                                         const std::vector<Outcome> &history,
                                         size_t max) = 0;
  // Feedback: called once for each of this generator's candidates as soon
  // as its outcome is final (verdict, and timing where it was timed).
  virtual void observe(const Outcome &) {}
  // Why it proposes nothing for this problem (""), for the report.
  virtual std::string unsupported() const { return ""; }
  // A failure that must end the run (an LLM provider rejected the key or
  // the model): the supervisor stops with it as the reason ("" if none).
  virtual std::string fatal() const { return ""; }
  // What the generator reports about itself in report.json/report.md under
  // its name (LLM agents: requests and tokens per agent); null: nothing.
  virtual nlohmann::json report() const { return nullptr; }
};

} // namespace ksynth::synth
