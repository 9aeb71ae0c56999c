// Everything the verifier builds for one shape binding: memory, symbolic
// inputs, violations and the equivalence items (verify/ internals).
#pragma once

#include "solver/Solver.h"
#include "spec/Spec.h"
#include "verify/core/Memory.h"
#include "verify/core/Obligation.h"
#include "verify/core/Verdict.h"
#include "verify/core/VerifyOptions.h"

#include <map>
#include <string>
#include <vector>

namespace ksynth::verify {

struct InputVars {
  spec::TensorType type;
  std::vector<smt::Expr> bits; // bv32 (float) or bv8 (bool) per element
};

struct EquivItem {
  std::string output;
  int64_t flat = 0;
  smt::Expr candidate; // fp32, or bv8 for bool outputs
  smt::Expr reference; // fp32, or Bool
};

struct ShapeRun {
  spec::ShapeBinding shape;
  std::map<std::string, spec::TensorType> types;
  std::map<std::string, InputVars> inputs;
  Memory mem;
  ViolationLog log;
  std::vector<EquivItem> equiv;
  // The range of the computed value of each fold result variable (by the
  // name of its bits variable) the rounding level may treat as an exact
  // input shared by both sides (verify/numerics/Fold.h; set per store).
  std::map<std::string, std::pair<double, double>> foldRanges;
};

std::string shapeLabel(const spec::ShapeBinding &b); // "N=67"

// Float view of an input variable.
smt::Expr floatOf(const smt::Expr &bits32);

// Domain constraints for every input variable occurring in `e`.
smt::Expr domainFor(const spec::Spec &s, const ShapeRun &run,
                    const smt::Expr &e);

} // namespace ksynth::verify
