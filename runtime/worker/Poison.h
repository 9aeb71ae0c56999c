// Poison patterns written into outputs and temporaries before each run.
// Run r uses pattern r % 2, and the two patterns differ, so an element no
// work-item writes shows a different value in each run (and equals the
// pattern of its run), and a kernel that reads a temporary or output before
// writing it sees different data in each run. Header-only, no dependencies
// (shared with ksynth).
#pragma once

#include <cstdint>
#include <string>

namespace ksynth::poison {

// float32: a signalling NaN with a distinctive payload, then a huge negative
// finite number; neither is a value a correct kernel is likely to produce.
inline constexpr uint32_t kFloat32[2] = {0x7fa5a5a5u, 0xff5a5a5au};
// bool (1-byte elements): neither 0 nor 1.
inline constexpr uint8_t kBool[2] = {0xa5u, 0x5au};
// int64: the bytes a5... and 5a...
inline constexpr uint64_t kInt64[2] = {0xa5a5a5a5a5a5a5a5ull,
                                       0x5a5a5a5a5a5a5a5aull};

inline size_t elemBytes(const std::string &dtype) {
  return dtype == "bool" ? 1 : dtype == "int64" ? 8 : 4;
}

// Fills `bytes` bytes at p with the pattern of run r for dtype.
inline void fill(uint8_t *p, size_t bytes, const std::string &dtype, int r) {
  if (dtype == "bool" || dtype == "int64") {
    // int64 patterns repeat one byte, so bytewise filling is exact.
    for (size_t i = 0; i < bytes; ++i)
      p[i] = dtype == "bool" ? kBool[r % 2] : uint8_t(kInt64[r % 2]);
    return;
  }
  uint32_t v = kFloat32[r % 2];
  for (size_t i = 0; i + 4 <= bytes; i += 4) {
    p[i] = uint8_t(v);
    p[i + 1] = uint8_t(v >> 8);
    p[i + 2] = uint8_t(v >> 16);
    p[i + 3] = uint8_t(v >> 24);
  }
}

// Does element i (of dtype) at p hold the pattern of run r?
inline bool isPoison(const uint8_t *p, size_t i, const std::string &dtype,
                     int r) {
  if (dtype == "bool")
    return p[i] == kBool[r % 2];
  if (dtype == "int64") {
    for (size_t k = 0; k < 8; ++k)
      if (p[8 * i + k] != uint8_t(kInt64[r % 2]))
        return false;
    return true;
  }
  const uint8_t *q = p + 4 * i;
  uint32_t v = uint32_t(q[0]) | (uint32_t(q[1]) << 8) | (uint32_t(q[2]) << 16) |
               (uint32_t(q[3]) << 24);
  return v == kFloat32[r % 2];
}

} // namespace ksynth::poison
