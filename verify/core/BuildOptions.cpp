// OpenCL build options: their clang flags, their record in the module, and
// what the verdict's assumptions say about them (see BuildOptions.h).
#include "verify/core/BuildOptions.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Metadata.h>
#include <llvm/IR/Module.h>

namespace ksynth::verify {

namespace {

constexpr const char *kMetadata = "ksynth.build_options";

bool isRelaxed(const std::string &o) {
  return o == "-cl-unsafe-math-optimizations" || o == "-cl-finite-math-only" ||
         o == "-cl-fast-relaxed-math" || o == "-cl-no-signed-zeros";
}

// What each accepted option means in the verdict.
std::string meaning(const std::string &o) {
  if (o == "-cl-mad-enable")
    return "a*b+c (a multiply feeding an add or subtract, llvm.fmuladd) may "
           "be computed by mad with reduced accuracy: an arbitrary value "
           "(an approximation, listed in abstractions)";
  if (o == "-cl-denorms-are-zero")
    return "every subnormal float operand and result of a float operation "
           "(arithmetic, comparison, float select, builtin call) may be "
           "flushed to zero of the same sign or kept: both are "
           "verified (a counterexample that needs one of them says "
           "depends_on_implementation_choice)";
  if (o == "-cl-fp32-correctly-rounded-divide-sqrt")
    return "float division and sqrt are correctly rounded (IEEE), not "
           "within 2.5 and 3 ulp";
  if (isRelaxed(o))
    return "relaxed math: float instructions with fast-math flags and "
           "float builtins give unknown (approximation) where the kernel "
           "uses them";
  if (o == "-cl-opt-disable")
    return "no effect on the meaning of the program (the verifier analyses "
           "its own optimised module)";
  if (o == "-cl-single-precision-constant")
    return "double literals are single precision (clang applies it)";
  if (o == "-cl-kernel-arg-info" || o == "-w" ||
      o == "-cl-uniform-work-group-size")
    return "no effect on the meaning of the program";
  if (o == "-Werror")
    return "warnings are errors (a warning gives error, exit 2)";
  if (o.rfind("-cl-std=", 0) == 0)
    return "compiled as " + o.substr(8);
  if (o.rfind("-D", 0) == 0)
    return "a macro definition (clang applies it)";
  return "passed to clang";
}

} // namespace

std::vector<std::string> clangFlagsFor(const std::string &o) {
  if (o == "-cl-denorms-are-zero" || o == "-cl-opt-disable" ||
      o == "-cl-kernel-arg-info" || o == "-w" ||
      o == "-cl-uniform-work-group-size")
    return {}; // modelled by the executor, or no effect on the meaning
  return {o};  // -D..., -Werror, -cl-std=, other -cl-* spelled as in cc1
}

void recordBuildOptions(llvm::Module &m,
                        const std::vector<std::string> &options) {
  if (options.empty())
    return;
  llvm::NamedMDNode *md = m.getOrInsertNamedMetadata(kMetadata);
  for (const std::string &o : options)
    md->addOperand(llvm::MDNode::get(m.getContext(),
                                     {llvm::MDString::get(m.getContext(), o)}));
}

BuildModel buildModelOf(const llvm::Module &m) {
  BuildModel b;
  const llvm::NamedMDNode *md = m.getNamedMetadata(kMetadata);
  if (!md)
    return b;
  for (const llvm::MDNode *n : md->operands()) {
    if (n->getNumOperands() != 1)
      continue;
    auto *s = llvm::dyn_cast<llvm::MDString>(n->getOperand(0));
    if (!s)
      continue;
    std::string o = s->getString().str();
    if (o == "-cl-mad-enable")
      b.madEnable = true;
    else if (o == "-cl-denorms-are-zero")
      b.denormsAreZero = true;
    else if (o == "-cl-fp32-correctly-rounded-divide-sqrt")
      b.correctDivSqrt = true;
    else if (isRelaxed(o) && b.relaxed.empty())
      b.relaxed = o;
  }
  return b;
}

void describeBuildOptions(const spec::Manifest &m, nlohmann::json &a) {
  nlohmann::json opts = nlohmann::json::object();
  bool daz = false;
  for (const std::string &o : m.buildOptions) {
    opts[o] = meaning(o);
    daz = daz || o == "-cl-denorms-are-zero";
  }
  a["build_options"] = opts;
  if (daz)
    a["fp"] = "IEEE-754 binary32, round-to-nearest-even; under "
              "-cl-denorms-are-zero every subnormal operand and result of a "
              "float operation (a float select included) may be flushed to "
              "zero of the same sign or "
              "kept (both verified)";
}

} // namespace ksynth::verify
