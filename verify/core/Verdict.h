// The verifier's answer. Four outcomes; only "refuted" carries a
// counterexample, and every verdict lists the assumptions it rests on.
// JSON schema: docs/verdict-format.md.
#pragma once

#include "spec/Spec.h"
#include "support/Error.h"
#include "verify/core/SourceLoc.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::verify {

enum class Outcome { Proved, Refuted, Unknown, Error };
const char *toString(Outcome o);

struct ObligationResult {
  std::string name;
  spec::ShapeBinding shape;
  std::string status; // proved | refuted | unknown | skipped
  std::string level;  // structural | bit-exact | "" (no floating point)
  unsigned queries = 0;
  double seconds = 0;
};

struct TensorBits {
  spec::DType dtype = spec::DType::Float32;
  std::vector<int64_t> shape;
  std::vector<uint64_t>
      bits; // float32 bit patterns, 0/1 for bool, int64 values
  // Sparse form, for shapes too large to list (symbolic work-item method):
  // every element is defaultBits except those in `elements`; `bits` empty.
  bool sparse = false;
  uint64_t defaultBits = 0;
  std::map<int64_t, uint64_t> elements;
  // Element k's bits in either form.
  uint64_t at(int64_t k) const {
    if (!sparse)
      return bits.at(static_cast<size_t>(k));
    auto it = elements.find(k);
    return it == elements.end() ? defaultBits : it->second;
  }
};

struct Counterexample {
  std::string obligation;
  spec::ShapeBinding shape;
  std::map<std::string, TensorBits> inputs;
  std::string output; // tensor involved, if any
  int64_t flatIndex = -1;
  std::vector<int64_t> index;
  std::optional<uint64_t> referenceBits, candidateBits;
  spec::DType outputType = spec::DType::Float32; // how to read the two
  bool confirmedByInterpreter = false;
  bool dependsOnImplementationChoice = false;
  std::string detail;
  // The kernel source of the failing instruction (docs/verdict-format.md):
  // the store of the wrong value, the out-of-bounds access, the barrier;
  // for races and divergent barriers the second one in `other`.
  SourceLoc location, other;
};

struct Verdict {
  Outcome outcome = Outcome::Unknown;
  std::string reason;      // unknown / error
  std::string unknownKind; // unknown only
  std::string specPath, manifestPath;
  nlohmann::json assumptions = nlohmann::json::object();
  nlohmann::json solver = nlohmann::json::object();
  std::vector<ObligationResult> obligations;
  std::optional<Counterexample> counterexample; // refuted only
  nlohmann::json stats = nlohmann::json::object();

  ExitCode exitCode() const;
  nlohmann::json toJson() const;
  std::string toText() const; // what the CLI prints
};

// An "error" verdict for input that does not parse/compile.
Verdict errorVerdict(const std::string &specPath,
                     const std::string &manifestPath, const UserError &e);

} // namespace ksynth::verify
