// Thrown when the verifier cannot decide: the verdict becomes "unknown" with
// this kind and reason (never "proved", never "refuted").
#pragma once

#include <stdexcept>
#include <string>

namespace ksynth::verify {

enum class UnknownKind {
  Timeout,       // a solver query ran out of time or memory
  Bound,         // loop/path/step bound reached
  Unsupported,   // a construct the executor does not model
  Approximation, // the result depends on an operation OpenCL lets be inexact
  TooLarge,      // shape too large to enumerate
  Inconsistent,  // internal cross-check failed (a ksynth bug; reported)
};

const char *toString(UnknownKind k);

class CannotDecide : public std::runtime_error {
public:
  CannotDecide(UnknownKind k, const std::string &msg)
      : std::runtime_error(msg), kind(k) {}
  UnknownKind kind;
};

} // namespace ksynth::verify
