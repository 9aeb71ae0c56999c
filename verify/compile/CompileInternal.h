// LLVM-facing half of Compile.h (verify/ internals only).
#pragma once

#include "spec/Manifest.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace ksynth::verify {

std::unique_ptr<llvm::Module> compileToModule(const spec::Manifest &m,
                                              llvm::LLVMContext &ctx);
std::string moduleToBitcode(const llvm::Module &mod);

} // namespace ksynth::verify
