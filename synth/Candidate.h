// What the synthesizer passes around: a candidate (kernel source and launch
// manifest, with the generator and parameters that made it) and its outcome
// (verdict, timing), which is also the feedback every generator receives.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace ksynth::synth {

struct Candidate {
  std::string id;        // "c007", set by the supervisor
  std::string generator; // "builtin", "files", ...
  std::string kind;      // "naive", "fused", "row-per-item", ...
  nlohmann::json params = nlohmann::json::object(); // schedule parameters
  std::string source;                               // OpenCL C
  // The launch manifest (docs/manifest-format.md) without "source": the
  // supervisor writes the source next to it and sets the field.
  nlohmann::json manifest = nlohmann::json::object();
  // The naive lowering (one kernel per op, one work-item per output
  // element): the baseline of every speedup.
  bool baseline = false;
};

struct Outcome {
  Candidate cand;
  std::string hash; // FNV-1a 64 of the source and the manifest, hex
  // proved | refuted | unknown | error | interrupted
  std::string verdict;
  std::string level;  // deciding level of the equivalence obligation
  std::string reason; // unknown/error: the verifier's one line; refuted:
                      // the counterexample's obligation and detail
  std::string unknownKind;
  nlohmann::json counterexample; // refuted: the verdict's counterexample
  std::string compileError;      // error: the first lines of stderr
  double verifySeconds = 0;
  int verifyExit = -1;
  // timed | not-timed | refused | failed-to-run | error
  std::string timing = "not-timed";
  std::string timingNote;  // why not timed, or the runtime's message
  bool unverified = false; // timed under --allow-unverified without a proof
  double medianUs = 0, minUs = 0, iqrUs = 0, stddevUs = 0;
  double speedupNaive = 0;   // naive median / this median (0: unknown)
  double speedupPytorch = 0; // PyTorch eager / this median (0: no baseline)
  std::string dir;           // where its files are, relative to --out

  bool proved() const { return verdict == "proved"; }
  bool timed() const { return timing == "timed"; }
  nlohmann::json toJson() const;
};

// FNV-1a 64-bit, as 16 hex digits.
std::string fnv1aHex(const std::string &text);

} // namespace ksynth::synth
