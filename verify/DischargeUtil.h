// Helpers shared by the discharge files (verify/ internals): variable
// names, approximation tests, float bounds and the spec's comparison.
#pragma once

#include "solver/Expr.h"
#include "spec/Spec.h"

#include <cstdint>
#include <string>

namespace ksynth::verify {

// "x[12]" -> "x"; "a" -> "a".
std::string baseName(const std::string &var);
// Whether some variable of `e` has a name starting with `prefix`.
bool mentions(const smt::Expr &e, const char *prefix);
// Whether a term applies an uninterpreted function.
bool hasFunctions(const smt::Expr &e);
// Whether a term involves an operation OpenCL lets be inexact: an
// "approx#" value or a candidate builtin modelled as a function ("cl.exp").
bool dependsOnApproximation(const smt::Expr &e);
// The float32 bounds inside [lo, hi] nearest to it.
float lowBound(double lo);
float highBound(double hi);
// Candidate bits a match reference bits b under the spec's comparison.
bool sameUnderTolerance(const spec::Spec &s, uint32_t a, uint32_t b);
// The spec's comparison as an SMT formula over fp32 terms: NaN matches NaN
// only, infinities match exactly, finite values within atol + rtol*|ref|
// (in exact real arithmetic).
smt::Expr withinTolerance(const spec::Spec &s, const smt::Expr &c,
                          const smt::Expr &f);

// Alive2's trick: readable values first.
extern const float kPreferred[13];

} // namespace ksynth::verify
