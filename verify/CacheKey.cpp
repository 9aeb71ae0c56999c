// The kernel's IR for proof-cache keys: see CacheKey.h.
#include "verify/CacheKey.h"
#include "verify/compile/CompileInternal.h"

#include <llvm/Config/llvm-config.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

namespace ksynth::verify {

std::string kernelIrForCache(const spec::Manifest &m) {
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> mod = compileToModule(m, ctx);
  llvm::StripDebugInfo(*mod);
  mod->setSourceFileName("");
  mod->setModuleIdentifier("");
  std::string out;
  llvm::raw_string_ostream os(out);
  mod->print(os, nullptr);
  os.flush();
  return out;
}

std::string llvmVersion() { return LLVM_VERSION_STRING; }

} // namespace ksynth::verify
