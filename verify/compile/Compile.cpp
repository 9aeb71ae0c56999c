#include "verify/compile/Compile.h"
#include "verify/compile/CompileInternal.h"
#include "verify/core/BuildOptions.h"

#include "support/Error.h"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/SourceManager.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Lex/PreprocessorOptions.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

namespace ksynth::verify {

namespace {

// Keeps the first error as "FILE:LINE:COL: error: message".
class FirstErrorConsumer : public clang::DiagnosticConsumer {
public:
  std::string first;
  unsigned errors = 0;
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic &info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error)
      return;
    ++errors;
    if (!first.empty())
      return;
    llvm::SmallString<256> msg;
    info.FormatDiagnostic(msg);
    std::string where;
    if (info.getLocation().isValid() && info.hasSourceManager()) {
      clang::PresumedLoc p =
          info.getSourceManager().getPresumedLoc(info.getLocation());
      if (p.isValid())
        where = std::string(p.getFilename()) + ":" +
                std::to_string(p.getLine()) + ":" +
                std::to_string(p.getColumn()) + ": ";
    }
    first = where + "error: " + std::string(msg);
  }
};

// OpenCL build option -> clang cc1 flags (the manifest parser whitelisted
// the options already; verify/core/BuildOptions.cpp says what each does).
std::vector<std::string> translateBuildOption(const std::string &o) {
  return clangFlagsFor(o);
}

} // namespace

std::vector<std::string> compileArgs(const spec::Manifest &m) {
  std::vector<std::string> a = {"-triple",
                                "spir64",
                                "-cl-std=CL1.2",
                                "-finclude-default-header",
                                "-fdeclare-opencl-builtins",
                                "-O2",
                                "-opaque-pointers",
                                "-disable-llvm-verifier",
                                "-ffp-contract=" +
                                    std::string(m.fpContract ? "on" : "off"),
                                "-resource-dir",
                                KSYNTH_CLANG_RESOURCE_DIR,
                                "-x",
                                "cl"};
  for (const std::string &o : m.buildOptions)
    for (std::string &t : translateBuildOption(o))
      a.push_back(std::move(t));
  return a;
}

std::unique_ptr<llvm::Module> compileToModule(const spec::Manifest &m,
                                              llvm::LLVMContext &ctx) {
  std::vector<std::string> args = compileArgs(m);
  // Line tables only, for the source lines of messages (no effect on the
  // code; compileToBitcode strips them again).
  args.push_back("-debug-info-kind=line-tables-only");
  args.push_back(m.sourcePath);
  std::vector<const char *> argv;
  for (const std::string &s : args)
    argv.push_back(s.c_str());

  auto ci = std::make_unique<clang::CompilerInstance>();
  FirstErrorConsumer diag;
  ci->createDiagnostics(&diag, /*ShouldOwnClient=*/false);
  if (!clang::CompilerInvocation::CreateFromArgs(ci->getInvocation(), argv,
                                                 ci->getDiagnostics()))
    throw UserError(m.path + ": bad build options: " + diag.first);
  // Warning options (-w, -Werror) of the invocation apply to its engine.
  clang::ProcessWarningOptions(ci->getDiagnostics(), ci->getDiagnosticOpts(),
                               /*ReportDiags=*/false);
  // Compile the exact text the manifest loaded, under its real file name.
  ci->getPreprocessorOpts().addRemappedFile(
      m.sourcePath,
      llvm::MemoryBuffer::getMemBufferCopy(m.source, m.sourcePath).release());
  // cl_khr_subgroups: clang 15 declares the extension's functions at
  // OpenCL C 1.2 (the pragma only warns), except get_enqueued_num_sub_groups,
  // which it declares from 2.0 on; declare that one too, for sources that
  // call it.
  if (m.source.find("get_enqueued_num_sub_groups") != std::string::npos) {
    const char *header = "/ksynth/cl_khr_subgroups_extra.h";
    ci->getPreprocessorOpts().addRemappedFile(
        header, llvm::MemoryBuffer::getMemBufferCopy(
                    "#if __OPENCL_C_VERSION__ < 200\n"
                    "uint __attribute__((overloadable)) "
                    "get_enqueued_num_sub_groups(void);\n"
                    "#endif\n",
                    header)
                    .release());
    ci->getPreprocessorOpts().Includes.push_back(header);
  }
  clang::EmitLLVMOnlyAction action(&ctx);
  bool ok = ci->ExecuteAction(action);
  if (!ok || diag.errors > 0)
    throw UserError(diag.first.empty() ? m.sourcePath + ": does not compile"
                                       : diag.first);
  std::unique_ptr<llvm::Module> mod = action.takeModule();
  if (!mod)
    throw UserError(m.sourcePath + ": clang produced no module");
  std::string err;
  llvm::raw_string_ostream os(err);
  if (llvm::verifyModule(*mod, &os))
    KSYNTH_UNREACHABLE(("clang produced an invalid module: " + err).c_str());
  recordBuildOptions(*mod, m.buildOptions);
  return mod;
}

std::string moduleToBitcode(const llvm::Module &mod) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::WriteBitcodeToFile(mod, os);
  os.flush();
  return out;
}

std::string compileToBitcode(const spec::Manifest &m) {
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> mod = compileToModule(m, ctx);
  llvm::StripDebugInfo(*mod);
  return moduleToBitcode(*mod);
}

} // namespace ksynth::verify
