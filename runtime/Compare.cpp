#include "runtime/Compare.h"

#include "support/Float.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ksynth::runtime {

namespace {

bool isNan(uint32_t b) {
  return (b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu) != 0;
}

// Maps float bits to integers ordered like the floats (-0 just below +0).
int64_t ordered(uint32_t b) {
  return (b & 0x80000000u) ? -static_cast<int64_t>(b & 0x7fffffffu) - 1
                           : static_cast<int64_t>(b);
}

} // namespace

std::string formatIndex(const std::vector<int64_t> &idx) {
  std::string s = "[";
  for (size_t i = 0; i < idx.size(); ++i)
    s += (i ? ", " : "") + std::to_string(idx[i]);
  return s + "]";
}

bool elementsMatch(spec::DType t, uint64_t expected, uint64_t got,
                   const spec::Tolerance &tol, double mag) {
  if (t != spec::DType::Float32)
    return expected == got;
  return tol.accepts(bitsFloat(static_cast<uint32_t>(expected)),
                     bitsFloat(static_cast<uint32_t>(got)), mag);
}

double mismatchBadness(spec::DType t, uint64_t expected, uint64_t got) {
  if (t == spec::DType::Bool)
    return 1;
  if (t == spec::DType::Int64)
    return std::fabs(static_cast<double>(static_cast<int64_t>(expected)) -
                     static_cast<double>(static_cast<int64_t>(got)));
  uint32_t e32 = static_cast<uint32_t>(expected),
           g32 = static_cast<uint32_t>(got);
  if (isNan(e32) != isNan(g32))
    return 1e30;
  float e = bitsFloat(e32), g = bitsFloat(g32);
  if (std::isinf(e) != std::isinf(g))
    return 1e29;
  return static_cast<double>(std::llabs(ordered(e32) - ordered(g32)));
}

std::string describeElement(spec::DType t, uint64_t bits) {
  if (t == spec::DType::Bool) {
    if (bits == 0)
      return "false";
    if (bits == 1)
      return "true";
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%02x (not a bool)",
                  static_cast<unsigned>(bits & 0xffu));
    return buf;
  }
  if (t == spec::DType::Int64)
    return std::to_string(static_cast<int64_t>(bits));
  uint32_t b = static_cast<uint32_t>(bits);
  return formatFloat(bitsFloat(b)) + " (" + formatBits(b) + ")";
}

} // namespace ksynth::runtime
