// Concrete counterexample hunting for equivalence (issue 4): before any
// solver query, deterministic input assignments of the declared domain
// (readable values, the domain's ends, large magnitudes, a large constant
// plus jitter, special values, random values) are evaluated: the reference
// by the concrete interpreter and by the symbolic reference term, the
// candidate's term by the interval evaluator (verify/numerics/IntervalEval.h).
// An output element is refuted only if every value the candidate may compute
// (whatever its approximate operations return within their bounds) is
// outside every value the reference may take, under the spec's comparison,
// and the interpreter's value is one of those reference values.
#pragma once

#include "verify/discharge/ShapeRun.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace ksynth::verify {

struct HuntFinding {
  Counterexample cx;
  bool exact = false; // both sides single values (no approximation)
};

// Input bits of a variable (nullopt: not an input variable).
using InputValues = std::function<std::optional<uint64_t>(const smt::Expr &)>;

// Refutes `item` at the given inputs if every candidate value lies outside
// every reference value (see above); nullopt otherwise.
std::optional<HuntFinding> refuteAt(const spec::Spec &s, const ShapeRun &r,
                                    const EquivItem &item,
                                    const InputValues &value);

// Hunts over every equivalence item of the run, deterministically (seed),
// until `deadline`; the first refuted item (in order) of the first
// assignment that refutes one, its inputs shrunk toward readable values
// (for at most `shrinkMs`, Budgets::huntShrinkMs).
std::optional<HuntFinding>
huntConcretely(const spec::Spec &s, const ShapeRun &r, uint64_t seed,
               std::chrono::steady_clock::time_point deadline,
               unsigned shrinkMs);

// Assignments tried per item by huntConcretely's modes (for tests).
unsigned huntModes();

} // namespace ksynth::verify
