// OpenCL C -> LLVM IR / SPIR bitcode with clang 15, in process.
#pragma once

#include "spec/Manifest.h"

#include <string>
#include <vector>

namespace ksynth::verify {

// The clang cc1 arguments the verifier compiles with (recorded in reports;
// the runtime builds what these produce).
std::vector<std::string> compileArgs(const spec::Manifest &m);

// Compiles the manifest's source to spir64 bitcode (-O2), exactly the module
// the verifier analyses. Throws UserError (InputError) with the first error
// as "FILE:LINE:COL: error: message" if it does not compile.
std::string compileToBitcode(const spec::Manifest &m);

} // namespace ksynth::verify
