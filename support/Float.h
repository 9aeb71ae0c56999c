// Exact float32 <-> bits helpers and the textual forms ksynth prints.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace ksynth {

inline uint32_t floatBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline float bitsFloat(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// Shortest decimal that round-trips ("2", "-0", "0.1", "nan", "-inf",
// "1.17549435e-38").
std::string formatFloat(float f);
// "0x40000000"
std::string formatBits(uint32_t bits);
// Parses what formatFloat prints, plus hex bit patterns ("0x7fc00001")
// and any decimal; rounds to nearest float32. nullopt if malformed.
std::optional<float> parseFloat(const std::string &s);

} // namespace ksynth
