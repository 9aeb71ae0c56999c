// The kernel's identity for proof caches (issue 15, gate/ProofCache.h): the
// module the verifier analyses, as LLVM IR text without debug info, file
// name or module name, so that renaming the file or changing its whitespace
// or comments does not change it, while any change of meaning does.
#pragma once

#include "spec/Manifest.h"

#include <string>

namespace ksynth::verify {

// Compiles the manifest's source as the verifier does (compileToModule) and
// prints the module without debug info, source file name and module
// identifier. Throws UserError as compileToBitcode does.
std::string kernelIrForCache(const spec::Manifest &m);

// The LLVM version the verifier compiles with ("15.0.6").
std::string llvmVersion();

} // namespace ksynth::verify
