// Helpers shared by the discharge files (verify/ internals): variable
// names, approximation tests, float bounds and the spec's comparison.
#pragma once

#include "solver/Expr.h"
#include "spec/Spec.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace ksynth::verify {

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
// Candidate bits a match reference bits b under the spec's comparison
// (leniently by a relative 2^-40 at the tolerance's edge: used to confirm
// refutations, never to prove). `mag`: the element's sum of term
// magnitudes for the summation form (spec::interpretMagnitudes); where it
// is unknown (NaN) every finite pair matches there (no refutation).
bool sameUnderTolerance(const spec::Spec &s, uint32_t a, uint32_t b,
                        double mag = std::numeric_limits<double>::quiet_NaN());
// The spec's comparison as an SMT formula over fp32 terms: NaN matches NaN
// only, infinities match exactly, finite values within atol + rtol*|ref|
// (in exact real arithmetic). The summation form: within atol + sum_rtol *
// `mag` (a real term, verify/numerics/SumForm.h sumMagnitude); without it
// within atol only (stricter: a proof stays a proof, a violation found is
// confirmed on concrete inputs with the interpreter's magnitudes).
smt::Expr withinTolerance(const spec::Spec &s, const smt::Expr &c,
                          const smt::Expr &f,
                          const std::optional<smt::Expr> &mag = std::nullopt);

// A float32-only formula that implies withinTolerance (never the other
// way round): |fl(c - f)| * (1 + 2^-20) <= (atol' + rtol' * |f|) * (1 -
// 2^-20), every operation rounded to nearest-even, atol' and rtol' the
// float32s just below atol and rtol. The margins absorb every rounding, so
// "no violation of this" proves the spec's comparison, and the solver
// bit-blasts it without the real arithmetic of fp.to_real (which Z3 4.8.12
// may work on for minutes without heeding an interrupt). nullopt where it
// does not apply (bit-exact, the summation form, or atol below 2^-100).
std::optional<smt::Expr>
withinToleranceFP(const spec::Spec &s, const smt::Expr &c, const smt::Expr &f);

// Alive2's trick: readable values first.
extern const float kPreferred[13];

} // namespace ksynth::verify
