// The symbolic work-item method (verify/methods/SymbolicItem.h).
#include "verify/methods/SymbolicItem.h"
#include "verify/methods/ReferenceFolds.h"
#include "verify/methods/SymbolicGroup.h"
#include "verify/methods/SymbolicRun.h"

#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Reductions.h"
#include "support/Float.h"
#include "verify/core/DischargeUtil.h"
#include "verify/core/Unknown.h"
#include "verify/core/VarNames.h"
#include "verify/discharge/CoverageEnum.h"
#include "verify/discharge/Discharge.h"
#include "verify/discharge/SymbolicLeaves.h"
#include "verify/exec/ValueOps.h"
#include "verify/numerics/IntervalEval.h"
#include "verify/numerics/SymbolicReference.h"

#include <llvm/IR/Function.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {

// Whether int64 tensor `t` is a spec output computed by argmax / argmin
// and used by no op (the symbolic reference builds such an element as a
// 64-bit bit-vector; no op of the method reads an int64 operand), and not
// also an input.
bool int64Output(const spec::Spec &s, const std::string &t) {
  bool made = false;
  for (const spec::OpNode &op : s.ops) {
    if (op.output == t)
      made = op.op == "argmax" || op.op == "argmin";
    for (const spec::Operand &x : op.inputs)
      if (const auto *name = std::get_if<std::string>(&x); name && *name == t)
        return false;
  }
  for (const spec::TensorDecl &d : s.inputs)
    if (d.name == t)
      return false;
  return made;
}

} // namespace

bool symbolicQualifies(const spec::Spec &s, const spec::Manifest &m,
                       std::string &why) {
  for (const spec::OpNode &op : s.ops)
    if (spec::isTensorOp(op) && !symbolicTensorOpCovered(op)) {
      why = spec::tensorOpAtIndex(op.op)
                ? "op '" + op.op +
                      "' has a literal first operand, which the symbolic "
                      "reference does not cover"
                : "op '" + op.op +
                      "' is not covered by the symbolic reference (covered: " +
                      symbolicCoveredOpsText() + ")";
      return false;
    }
  for (const spec::TensorDecl &t : s.inputs)
    if (t.dtype != spec::DType::Float32) {
      why = "input '" + t.name + "' is not float32";
      return false;
    }
  auto types = spec::inferTypes(s, s.shapes.front());
  for (const std::string &o : s.outputs) {
    if (types.at(o).dtype == spec::DType::Int64 && int64Output(s, o))
      continue; // argmax / argmin: compared as 64-bit bit-vectors
    if (types.at(o).dtype != spec::DType::Float32) {
      why = "output '" + o + "' is not float32";
      return false;
    }
    for (const spec::TensorDecl &t : s.inputs)
      if (t.name == o) {
        why = "output '" + o + "' is also an input";
        return false;
      }
  }
  if (m.launches.size() != 1 || !m.temporaries.empty()) {
    why = "the manifest has " + std::to_string(m.launches.size()) +
          " launches" +
          (m.temporaries.empty() ? std::string() : " and temporaries");
    return false;
  }
  // __local arguments: the symbolic work-group method, which needs the
  // work-group size.
  for (const spec::ArgBinding &a : m.launches[0].args)
    if (a.kind == spec::ArgBinding::Kind::Local && !m.launches[0].local) {
      why = "the launch has __local arguments but no local size";
      return false;
    }
  return true;
}

SymbolicOutcome verifySymbolicShape(
    const spec::Spec &s, Executor &ex, const llvm::Function &kernel,
    const std::vector<Val> &args, const Geometry &geom,
    const std::string &label, ShapeRun &run, const VerifyOptions &opts,
    smt::QuerySolver &solver, std::vector<ObligationResult> &results) {
  SymbolicOutcome out;
  if (!staticLocals(kernel).empty())
    throw CannotDecide(UnknownKind::Unsupported,
                       "kernel " + kernel.getName().str() +
                           " uses __local memory: the symbolic work-item "
                           "method needs work-items that do not communicate");
  SymbolicRun r(s, run, opts, solver, results, out);
  r.go(ex, kernel, args, geom, label);
  return out;
}

SymbolicOutcome verifySymbolicGroupShape(
    const spec::Spec &s, Executor &ex, const llvm::Function &kernel,
    const std::vector<Val> &args, const Geometry &geom,
    const std::vector<LocalArg> &localArgs, const std::string &label,
    ShapeRun &run, const VerifyOptions &opts, smt::QuerySolver &solver,
    std::vector<ObligationResult> &results) {
  SymbolicOutcome out;
  SymbolicRun r(s, run, opts, solver, results, out);
  r.goGroup(ex, kernel, args, geom, localArgs, label);
  return out;
}

} // namespace ksynth::verify
