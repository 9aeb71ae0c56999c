// A place in the kernel's source (from the module's line tables), for
// verdicts: where the failing store, access or barrier is
// (docs/verdict-format.md, counterexample "location").
#pragma once

#include <string>

namespace ksynth::verify {

struct SourceLoc {
  std::string file; // as the manifest names the source (clang's file name)
  unsigned line = 0;
  unsigned column = 0;
  // What is there: "store", "load", "barrier", "kernel" (no single
  // instruction: the kernel's definition), ...
  std::string what;
  bool valid() const { return line != 0; }
  // "kernel.cl:12:5"
  std::string str() const {
    return file + ":" + std::to_string(line) +
           (column ? ":" + std::to_string(column) : "");
  }
};

} // namespace ksynth::verify
