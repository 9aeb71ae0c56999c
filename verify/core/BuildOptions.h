// OpenCL build options (docs/manifest-format.md) as the verifier models
// them. The manifest parser accepts the options listed there; this file
// says what each does to clang's compile and to the executor:
//  - -cl-mad-enable: a*b+c (an fmul feeding an fadd/fsub, llvm.fmuladd) is
//    an approximation (any value, as the `mad` builtin);
//  - -cl-denorms-are-zero: every subnormal operand and result of a float
//    operation (a select of floats included: it may become min/max) may be
//    flushed to a zero of its sign, or kept (a nondeterministic choice per
//    operation);
//  - -cl-fp32-correctly-rounded-divide-sqrt: `/` and sqrt are IEEE
//    (clang drops the 2.5 ulp metadata of fdiv; sqrt is exact here);
//  - the relaxed-math options: fast-math flags make float instructions
//    unknown (approximation), and so are calls of float builtins;
//  - options that do not change a program's meaning are recorded only.
// compileToModule records the options in the module (named metadata
// "ksynth.build_options"), so the executor reads them from the module.
#pragma once

#include "spec/Manifest.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace llvm {
class Module;
}

namespace ksynth::verify {

struct BuildModel {
  bool madEnable = false;      // -cl-mad-enable
  bool denormsAreZero = false; // -cl-denorms-are-zero
  bool correctDivSqrt = false; // -cl-fp32-correctly-rounded-divide-sqrt
  std::string relaxed;         // first relaxed-math option, "" if none
};

// The cc1 flags an accepted option becomes in the verifier's compile (none
// for options the executor models itself or that have no effect there).
std::vector<std::string> clangFlagsFor(const std::string &option);

void recordBuildOptions(llvm::Module &m,
                        const std::vector<std::string> &options);
BuildModel buildModelOf(const llvm::Module &m);

// assumptions["build_options"]: each option and how it is modelled.
void describeBuildOptions(const spec::Manifest &m, nlohmann::json &a);

} // namespace ksynth::verify
