// Verification of one shape binding by one arbitrary work-item (symbolic
// global ids) instead of enumerating every work-item: for shapes too large
// to enumerate, kernels whose work-items do not communicate (one launch, no
// barrier, no __local memory, no atomics) and elementwise specs (pointwise
// ops with broadcasting, float32 inputs and outputs). Global buffers are SMT
// arrays; races use two arbitrary distinct work-items (the GPUVerify
// argument); coverage inverts affine store addresses; equivalence compares
// every store with the reference element at its (symbolic) flat index,
// through the enumeration's levels: structural, rounding (with a
// tolerance; input reads as named variables,
// verify/discharge/SymbolicLeaves.h), bit-exact, and concrete hunting /
// confirmation through approximate operations (verify/numerics/IntervalEval.h)
// for refutations. verify/ internals.
#pragma once

#include "spec/Interpreter.h"
#include "spec/Manifest.h"
#include "verify/discharge/ShapeRun.h"
#include "verify/exec/Executor.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace llvm {
class Function;
}

namespace ksynth::verify {

// Whether the symbolic reference covers tensor op `op`: one whose value at
// an output index is written (spec::tensorOpAtIndex, the op table), with a
// tensor (not a literal) first operand; each output element is then a fold
// over a concrete number of operand elements at index terms.
bool symbolicTensorOpCovered(const spec::OpNode &op);
// The ops covered at a symbolic index, in words for messages and the
// verdict's assumptions: "elementwise ops, " and the table's names.
std::string symbolicCoveredOpsText();

// While pushed (this thread), referenceElementAt asks `decide(c)` for each
// condition on index terms its element would branch on: true only where
// the current path implies c, false only where it implies !c, nullopt if
// unknown. The element is then right on that path only. The reference's
// questions that do not depend on the path (whether an index identity
// holds for every value) go to `solver`, the configured solver stack, each
// within `identityMs` (Budgets::referenceIdentityMs); without a solver
// they are never shown (the element keeps the general term).
void pushReferenceDecider(
    std::function<std::optional<bool>(const smt::Expr &)> decide,
    smt::QuerySolver *solver, unsigned identityMs);
void pushReferenceDecider(
    std::function<std::optional<bool>(const smt::Expr &)> decide);
void popReferenceDecider();

// Whether (spec, manifest) qualify for the symbolic work-item method at
// every shape; if not, `why` says what does not.
bool symbolicQualifies(const spec::Spec &s, const spec::Manifest &m,
                       std::string &why);

// What one symbolic shape run produced.
struct SymbolicOutcome {
  std::optional<Counterexample> counterexample;
  std::string unknownReason, unknownKind; // set when something is undecided
  std::set<std::string> approximations;
  uint64_t steps = 0;
  // The fewest instructions a summarised loop (constant trip count) would
  // take unrolled in one work-item (0: none summarised).
  uint64_t shortestSummarisedLoop = 0;
};

// Runs (with `ex`, over run.mem and run.log) the kernel of the (single) launch
// as two arbitrary work-items and discharges every obligation at run.shape.
// `run` holds the symbolic regions of the spec's tensors (Region::symbolic) and
// InputVars of the 0-d inputs; `args` and `geom` the bound launch. Appends
// obligation results.
SymbolicOutcome verifySymbolicShape(
    const spec::Spec &s, Executor &ex, const llvm::Function &kernel,
    const std::vector<Val> &args, const Geometry &geom,
    const std::string &label, ShapeRun &run, const VerifyOptions &opts,
    smt::QuerySolver &solver, std::vector<ObligationResult> &results);

// The element of `tensor` at a flat index of the spec, by evaluating its
// ops backward from that element (broadcasting as index arithmetic; a
// covered tensor op as a fold over its concrete reduced extent at index
// terms, in the semantics table's order): over SMT terms (inputs read from
// inputArray) ...
smt::Expr referenceElementAt(const spec::Spec &s,
                             const spec::ShapeBinding &shape,
                             const std::string &tensor, const smt::Expr &flat);
// ... and concretely (the reference semantics), with input elements
// given by `inputBits(tensor, flat)`: the value (a float32, or the int64
// index of argmax / argmin) ...
spec::Scalar concreteReferenceValueAt(
    const spec::Spec &s, const spec::ShapeBinding &shape,
    const std::string &tensor, int64_t flat,
    const std::function<uint32_t(const std::string &, int64_t)> &inputBits);
// ... or its float32 bits.
uint32_t concreteReferenceAt(
    const spec::Spec &s, const spec::ShapeBinding &shape,
    const std::string &tensor, int64_t flat,
    const std::function<uint32_t(const std::string &, int64_t)> &inputBits);

} // namespace ksynth::verify
