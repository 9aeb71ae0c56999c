#include "support/Float.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ksynth {

std::string formatFloat(float f) {
  if (std::isnan(f))
    return std::signbit(f) ? "-nan" : "nan";
  if (std::isinf(f))
    return f < 0 ? "-inf" : "inf";
  if (f == 0)
    return std::signbit(f) ? "-0" : "0";
  char buf[64];
  // Start at the number of integer digits so 60 prints as "60", not "6e+01".
  double mag = std::fabs(static_cast<double>(f));
  int first = mag >= 1 && mag < 1e9 ? static_cast<int>(std::log10(mag)) + 1 : 1;
  for (int prec = first; prec <= 9; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, static_cast<double>(f));
    if (std::strtof(buf, nullptr) == f)
      break;
  }
  return buf;
}

std::string formatBits(uint32_t bits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", bits);
  return buf;
}

std::optional<float> parseFloat(const std::string &s) {
  if (s.empty())
    return std::nullopt;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
      s.find_first_of(".pP") == std::string::npos) {
    char *end = nullptr;
    errno = 0;
    unsigned long v = std::strtoul(s.c_str(), &end, 16);
    if (*end || errno || v > 0xffffffffUL)
      return std::nullopt;
    return bitsFloat(static_cast<uint32_t>(v));
  }
  if (s == "nan")
    return bitsFloat(0x7fc00000u);
  if (s == "-nan")
    return bitsFloat(0xffc00000u);
  char *end = nullptr;
  float f = std::strtof(s.c_str(), &end);
  if (*end)
    return std::nullopt;
  return f;
}

} // namespace ksynth
