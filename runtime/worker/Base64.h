// Base64 (RFC 4648, with padding) for buffer contents inside JSON jobs and
// results. Header-only, C++17, no dependencies (shared with ksynth).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ksynth::b64 {

inline std::string encode(const uint8_t *data, size_t n) {
  static const char *alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t(data[i]) << 16) | (uint32_t(data[i + 1]) << 8) |
                 uint32_t(data[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t(data[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (n - i == 2) {
    uint32_t v = (uint32_t(data[i]) << 16) | (uint32_t(data[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

inline std::string encode(const std::vector<uint8_t> &v) {
  return encode(v.data(), v.size());
}

// Throws std::invalid_argument on a character outside the alphabet or a
// length that is not a multiple of 4 (whitespace is skipped).
inline std::vector<uint8_t> decode(const std::string &s) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    if (c == '+')
      return 62;
    if (c == '/')
      return 63;
    return -1;
  };
  std::vector<uint8_t> out;
  out.reserve(s.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0, pad = 0, chars = 0;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
      continue;
    ++chars;
    if (c == '=') {
      ++pad;
      continue;
    }
    int v = value(c);
    if (v < 0 || pad)
      throw std::invalid_argument("invalid base64 character");
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(uint8_t((acc >> bits) & 0xff));
    }
  }
  if (chars % 4 != 0 || pad > 2)
    throw std::invalid_argument("base64 length is not a multiple of 4");
  return out;
}

} // namespace ksynth::b64
