// Content digests: FNV-1a 64 over bytes, and over outputs canonicalised the
// way the spec's tolerance compares them (every NaN one pattern; optionally
// -0 as +0), so that the worker can check a bench run against reference
// digests computed by ksynth without shipping the reference itself.
// Header-only, C++17, no dependencies (shared with ksynth).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace ksynth::digest {

class Fnv1a {
public:
  void add(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 0x100000001b3ULL;
    }
  }
  uint64_t value() const { return h_; }
  std::string hex() const {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(h_));
    return buf;
  }

private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

inline std::string ofBytes(const uint8_t *p, size_t n) {
  Fnv1a h;
  h.add(p, n);
  return h.hex();
}

// Digest of a buffer of `dtype` elements compared under the tolerance:
// float32 NaNs all hash as 0x7fc00000; with ignoreZeroSign, -0 as +0.
// Bools hash their raw bytes.
inline std::string canonical(const std::string &dtype, const uint8_t *p,
                             size_t n, bool ignoreZeroSign) {
  if (dtype != "float32")
    return ofBytes(p, n);
  Fnv1a h;
  for (size_t i = 0; i + 4 <= n; i += 4) {
    uint32_t b;
    std::memcpy(&b, p + i, 4);
    if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu) != 0)
      b = 0x7fc00000u;
    else if (ignoreZeroSign && b == 0x80000000u)
      b = 0;
    uint8_t bytes[4];
    std::memcpy(bytes, &b, 4);
    h.add(bytes, 4);
  }
  return h.hex();
}

} // namespace ksynth::digest
