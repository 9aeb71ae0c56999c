// Element comparison of device outputs with the reference under the spec's
// tolerance (spec::Tolerance::accepts: bit-exact by default, every NaN equal
// to every NaN, +0 equal to -0 only with ignore_zero_sign; or within
// atol + rtol x |ref|; bool and int64 exactly), and a "badness" order for
// reporting the worst mismatches first. Elements travel as raw bits in a
// uint64_t (float32: the 32 bits; bool: the byte; int64: the 64 bits).
#pragma once

#include "spec/Spec.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ksynth::runtime {

// `mag`: the element's sum of term magnitudes under the summation form
// (spec::interpretMagnitudes; NaN where unknown, then only equal values
// match).
bool elementsMatch(spec::DType t, uint64_t expected, uint64_t got,
                   const spec::Tolerance &tol,
                   double mag = std::numeric_limits<double>::quiet_NaN());

// How far apart two elements are, for ordering mismatches: NaN versus a
// number and infinity versus a finite value rank highest, then the
// distance in units in the last place.
double mismatchBadness(spec::DType t, uint64_t expected, uint64_t got);

// "[3, 0]"
std::string formatIndex(const std::vector<int64_t> &idx);

// "1.5 (0x3fc00000)", "true", "0xa5 (not a bool)", "-42".
std::string describeElement(spec::DType t, uint64_t bits);

} // namespace ksynth::runtime
