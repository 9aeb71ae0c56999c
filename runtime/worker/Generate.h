// Deterministic input generation shared by the worker and ksynth: the same
// (distribution, seed, domain) gives the same bits on every machine, because
// it uses only integer arithmetic, exact conversions and IEEE +,-,*,/ (no
// libm transcendental functions whose last bit may differ between builds).
//
// Header-only, C++17, no dependencies: the worker must build from source on
// the GPU machine with nothing but a compiler and the OpenCL loader.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ksynth::gen {

// The values an input may take (spec::Domain, restated without spec/).
struct Domain {
  enum class Kind { All, Finite, Range } kind = Kind::All;
  double lo = 0, hi = 0; // Range: lo <= x <= hi (excludes NaN)
};

// Input distributions for differential testing and benchmarking.
//  normal   approx. N(0,1) (Irwin-Hall sum of 12 uniforms, |x| <= 6)
//  uniform  uniform over [-1e4, 1e4]
//  cauchy   ratio of two normals: heavy tails, occasional huge values
//  negative every value < 0 (magnitudes from 2^-20 to 2^21)
//  large    magnitudes from 2^64 up to FLT_MAX, random sign
//  special  half from NaN, +-inf, +-0, subnormals, FLT_MIN, FLT_MAX, +-1;
//           half normal values scaled by random powers of two
//  adversarial  every value of adversarialPool() (every special value, every
//           NaN class with several payloads, the domain's edges and their
//           neighbours inside) in turn, then a mix of pool values, random
//           bit patterns, subnormals and scaled normals; never outside the
//           domain (the self-check of `ksynth verify`, adversarialFloat32)
// Values the domain excludes are replaced by values the domain allows
// (finite: a normal draw; range: the bounds or a uniform draw inside).
enum class Dist {
  Normal,
  Uniform,
  Cauchy,
  Negative,
  Large,
  Special,
  Adversarial
};

inline const char *distName(Dist d) {
  switch (d) {
  case Dist::Normal:
    return "normal";
  case Dist::Uniform:
    return "uniform";
  case Dist::Cauchy:
    return "cauchy";
  case Dist::Negative:
    return "negative";
  case Dist::Large:
    return "large";
  case Dist::Special:
    return "special";
  case Dist::Adversarial:
    return "adversarial";
  }
  return "?";
}

inline bool parseDist(const std::string &s, Dist &out) {
  for (Dist d : {Dist::Normal, Dist::Uniform, Dist::Cauchy, Dist::Negative,
                 Dist::Large, Dist::Special, Dist::Adversarial})
    if (s == distName(d)) {
      out = d;
      return true;
    }
  return false;
}

// The distributions `ksynth run` uses by default (not adversarial, which
// the verifier's self-check uses).
inline std::vector<Dist> allDists() {
  return {Dist::Normal,   Dist::Uniform, Dist::Cauchy,
          Dist::Negative, Dist::Large,   Dist::Special};
}

// SplitMix64: small, fast, and identical everywhere.
class Rng {
public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits (exact).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n) { return next() % n; }
  // Approximately standard normal: sum of 12 uniforms minus 6.
  double normal() {
    double s = 0;
    for (int i = 0; i < 12; ++i)
      s += uniform();
    return s - 6.0;
  }

private:
  uint64_t s_;
};

// Mixes several integers into one seed (used to derive per-input seeds).
inline uint64_t mixSeed(uint64_t a, uint64_t b) {
  Rng r(a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL));
  return r.next();
}

inline uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline float floatOf(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

inline bool inDomain(float f, const Domain &d) {
  switch (d.kind) {
  case Domain::Kind::All:
    return true;
  case Domain::Kind::Finite:
    return std::isfinite(f);
  case Domain::Kind::Range:
    return static_cast<double>(f) >= d.lo && static_cast<double>(f) <= d.hi;
  }
  return false;
}

namespace detail {

// Smallest float >= x (x finite double within float range).
inline float floatAtLeast(double x) {
  float f = static_cast<float>(x);
  if (static_cast<double>(f) < x)
    f = std::nextafter(f, INFINITY);
  return f;
}
// Largest float <= x.
inline float floatAtMost(double x) {
  float f = static_cast<float>(x);
  if (static_cast<double>(f) > x)
    f = std::nextafter(f, -INFINITY);
  return f;
}

// A value inside a range domain: either bound (1/8 each) or uniform.
inline float inRange(Rng &r, const Domain &d) {
  const double fmax = 3.4028234663852886e38;
  double lo = d.lo < -fmax ? -fmax : d.lo;
  double hi = d.hi > fmax ? fmax : d.hi;
  uint64_t pick = r.below(8);
  if (pick == 0)
    return d.lo < -fmax ? -INFINITY : floatAtLeast(d.lo);
  if (pick == 1)
    return d.hi > fmax ? INFINITY : floatAtMost(d.hi);
  double x = lo + (hi - lo) * r.uniform();
  float f = static_cast<float>(x);
  float flo = floatAtLeast(lo), fhi = floatAtMost(hi);
  if (f < flo)
    f = flo;
  if (f > fhi)
    f = fhi;
  return f;
}

inline float powerOfTwo(int e) { return std::ldexp(1.0f, e); } // exact

inline float special(Rng &r) {
  static const uint32_t table[] = {
      0x7fc00000u, 0xffc00000u, 0x7fa00001u, // NaNs (quiet -, signalling)
      0x7f800000u, 0xff800000u,              // +-inf
      0x00000000u, 0x80000000u,              // +-0
      0x00000001u, 0x80000001u,              // smallest subnormals
      0x007fffffu, 0x807fffffu,              // largest subnormals
      0x00800000u, 0x80800000u,              // FLT_MIN
      0x7f7fffffu, 0xff7fffffu,              // FLT_MAX
      0x3f800000u, 0xbf800000u,              // +-1
  };
  const uint64_t n = sizeof(table) / sizeof(table[0]);
  if (r.below(2) == 0)
    return floatOf(table[r.below(n)]);
  if (r.below(4) == 0) { // a random subnormal
    uint32_t m = static_cast<uint32_t>(r.next() & 0x007fffffu);
    return floatOf((static_cast<uint32_t>(r.below(2)) << 31) | m);
  }
  int e = static_cast<int>(r.below(61)) - 30;
  return static_cast<float>(r.normal()) * powerOfTwo(e);
}

inline float draw(Rng &r, Dist d) {
  switch (d) {
  case Dist::Normal:
    return static_cast<float>(r.normal());
  case Dist::Uniform:
    return static_cast<float>(-1e4 + 2e4 * r.uniform());
  case Dist::Cauchy: {
    double den = r.normal();
    if (den == 0)
      den = 0x1.0p-40;
    return static_cast<float>(r.normal() / den);
  }
  case Dist::Negative: {
    int e = static_cast<int>(r.below(41)) - 20;
    float m = static_cast<float>(1.0 + r.uniform()); // [1, 2]
    return -m * powerOfTwo(e);
  }
  case Dist::Large: {
    uint32_t exp = 191u + static_cast<uint32_t>(r.below(64)); // 2^64..2^127
    uint32_t man = static_cast<uint32_t>(r.next() & 0x007fffffu);
    uint32_t sign = static_cast<uint32_t>(r.below(2)) << 31;
    return floatOf(sign | (exp << 23) | man);
  }
  case Dist::Special:
  case Dist::Adversarial: // generateFloat32 uses adversarialFloat32
    return special(r);
  }
  return 0;
}

inline void addUnique(std::vector<uint32_t> &v, uint32_t b) {
  if (std::find(v.begin(), v.end(), b) == v.end())
    v.push_back(b);
}

} // namespace detail

// The float32 values (bits) adversarial inputs go through first: every
// special value (+-0, +-1, +-2, +-0.5, neighbours of 1, FLT_MIN and its
// neighbours, FLT_MAX, +-inf, the smallest and largest subnormals), every
// NaN class (both signs, quiet and signalling, several payloads), and for a
// range domain its edges and their neighbours inside; only values inside
// the domain, in a fixed order.
inline std::vector<uint32_t> adversarialPool(const Domain &dom) {
  static const uint32_t table[] = {
      0x00000000u, 0x80000000u, // +-0
      0x3f800000u, 0xbf800000u, // +-1
      0x7f800000u, 0xff800000u, // +-inf
      0x7fc00000u, 0xffc00000u, // quiet NaNs, both signs
      0x7f800001u, 0xff800001u, // signalling NaNs, smallest payload
      0x00000001u, 0x80000001u, // smallest subnormals
      0x007fffffu, 0x807fffffu, // largest subnormals
      0x00800000u, 0x80800000u, // FLT_MIN
      0x7f7fffffu, 0xff7fffffu, // FLT_MAX
      0x7fffffffu, 0xffffffffu, // quiet NaNs, all payload bits
      0x7fc00001u, 0xffc00001u, // quiet NaNs with a payload
      0x7fa00000u, 0xffa00000u, // signalling NaNs
      0x7fbfffffu, 0xffbfffffu, // signalling NaNs, largest payload
      0x3f000000u, 0xbf000000u, // +-0.5
      0x40000000u, 0xc0000000u, // +-2
      0x3f7fffffu, 0xbf7fffffu, // just below 1
      0x3f800001u, 0xbf800001u, // just above 1
      0x00800001u, 0x80800001u, // just above FLT_MIN
      0x00400000u, 0x80400000u, // a middle subnormal
      0x7f7ffffeu, 0xff7ffffeu, // just below FLT_MAX
      0x4b000000u, 0xcb000000u, // 2^23 (integers beyond are even)
      0x3eaaaaabu, 0x42c80000u, // 1/3, 100
  };
  std::vector<uint32_t> out;
  if (dom.kind == Domain::Kind::Range) {
    // The edges and their neighbours inside (never outside the domain).
    const double fmax = 3.4028234663852886e38;
    if (!(dom.lo > dom.hi)) {
      float lo = dom.lo < -fmax ? -INFINITY : detail::floatAtLeast(dom.lo);
      float hi = dom.hi > fmax ? INFINITY : detail::floatAtMost(dom.hi);
      for (float f : {lo, hi, std::nextafter(lo, INFINITY),
                      std::nextafter(hi, -INFINITY)})
        if (inDomain(f, dom))
          detail::addUnique(out, bitsOf(f));
      float mid = static_cast<float>(
          (std::max(dom.lo, -fmax) + std::min(dom.hi, fmax)) / 2);
      if (inDomain(mid, dom))
        detail::addUnique(out, bitsOf(mid));
    }
  }
  for (uint32_t b : table)
    if (inDomain(floatOf(b), dom))
      detail::addUnique(out, b);
  return out;
}

// n adversarial float32 values (bits): element i < pool size is
// pool[(i + offset) % pool size] (so consecutive calls with offsets 0, n,
// 2n, ... cover the pool even when n is small); later elements mix pool
// values, random bit patterns, random subnormals and scaled normals (and,
// for a range domain, uniform values inside), all inside the domain.
// `extra` (e.g. the constants of the kernel and the spec, and their
// neighbours) joins the pool after adversarialPool(dom), those inside the
// domain only.
inline std::vector<uint32_t>
adversarialPool(const Domain &dom, const std::vector<uint32_t> &extra) {
  std::vector<uint32_t> pool = adversarialPool(dom);
  for (uint32_t b : extra)
    if (inDomain(floatOf(b), dom))
      detail::addUnique(pool, b);
  return pool;
}

inline std::vector<uint32_t>
adversarialFloat32(uint64_t seed, const Domain &dom, size_t n,
                   size_t offset = 0, const std::vector<uint32_t> &extra = {}) {
  std::vector<uint32_t> pool = adversarialPool(dom, extra);
  Rng r(seed);
  std::vector<uint32_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    if (!pool.empty() && i < pool.size()) {
      out[i] = pool[(i + offset) % pool.size()];
      continue;
    }
    uint32_t b = 0;
    bool ok = false;
    for (int tries = 0; tries < 8 && !ok; ++tries) {
      switch (r.below(5)) {
      case 0:
        b = pool.empty() ? 0 : pool[r.below(pool.size())];
        break;
      case 1:
        b = static_cast<uint32_t>(r.next());
        break;
      case 2:
        b = (static_cast<uint32_t>(r.below(2)) << 31) |
            static_cast<uint32_t>(r.next() & 0x007fffffu);
        break;
      case 3: {
        int e = static_cast<int>(r.below(61)) - 30;
        b = bitsOf(static_cast<float>(r.normal()) * detail::powerOfTwo(e));
        break;
      }
      default:
        b = bitsOf(dom.kind == Domain::Kind::Range
                       ? detail::inRange(r, dom)
                       : static_cast<float>(r.normal()));
        break;
      }
      ok = inDomain(floatOf(b), dom);
    }
    if (!ok)
      b = dom.kind == Domain::Kind::Range ? bitsOf(detail::inRange(r, dom))
          : pool.empty()                  ? 0
                                          : pool[r.below(pool.size())];
    out[i] = b;
  }
  return out;
}

// n float32 values (as bits) from distribution d, honouring the domain.
inline std::vector<uint32_t> generateFloat32(Dist d, uint64_t seed,
                                             const Domain &dom, size_t n) {
  if (d == Dist::Adversarial)
    return adversarialFloat32(seed, dom, n);
  Rng r(seed);
  std::vector<uint32_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    float f = detail::draw(r, d);
    if (!inDomain(f, dom)) {
      if (dom.kind == Domain::Kind::Finite) {
        f = static_cast<float>(r.normal());
      } else {
        f = detail::inRange(r, dom);
      }
    }
    out[i] = bitsOf(f);
  }
  return out;
}

// n bools as bytes 0/1 (every distribution: fair coin flips, except
// "special", which alternates runs of all-true and all-false).
inline std::vector<uint8_t> generateBool(Dist d, uint64_t seed, size_t n) {
  Rng r(seed);
  std::vector<uint8_t> out(n);
  uint8_t run = static_cast<uint8_t>(r.below(2));
  for (size_t i = 0; i < n; ++i) {
    if (d == Dist::Adversarial) {
      out[i] = static_cast<uint8_t>(((i + seed) >> 1) & 1); // 0,0,1,1,...
    } else if (d == Dist::Special) {
      if (i % 16 == 0)
        run = static_cast<uint8_t>(r.below(2));
      out[i] = run;
    } else {
      out[i] = static_cast<uint8_t>(r.below(2));
    }
  }
  return out;
}

// n int64 values. Distributions: normal -> round(100 x normal); uniform ->
// [-1e4, 1e4]; cauchy -> 10 x a ratio of normals, within +-2^62; negative ->
// -1 .. -2^20; large -> magnitudes 2^40 .. 2^62, either sign; special ->
// half from 0, +-1, INT64_MIN/MAX, +-2^31, +-2^32, +-2^53 and neighbours,
// half small values. A range domain replaces values outside [lo, hi] by a
// bound (1/8 each) or a uniform integer inside.
inline std::vector<int64_t> generateInt64(Dist d, uint64_t seed,
                                          const Domain &dom, size_t n) {
  Rng r(seed);
  const int64_t lim = int64_t(1) << 62;
  auto clip = [&](double x) -> int64_t {
    if (!(x > -4.6e18))
      return -lim;
    if (!(x < 4.6e18))
      return lim;
    return static_cast<int64_t>(x);
  };
  static const int64_t table[] = {0,
                                  1,
                                  -1,
                                  2,
                                  INT64_MIN,
                                  INT64_MAX,
                                  INT64_MIN + 1,
                                  INT64_MAX - 1,
                                  int64_t(1) << 31,
                                  -(int64_t(1) << 31),
                                  (int64_t(1) << 31) - 1,
                                  int64_t(1) << 32,
                                  -(int64_t(1) << 32),
                                  int64_t(1) << 53,
                                  -(int64_t(1) << 53),
                                  (int64_t(1) << 53) + 1};
  const uint64_t tn = sizeof(table) / sizeof(table[0]);
  std::vector<int64_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t v = 0;
    switch (d) {
    case Dist::Normal:
      v = clip(std::nearbyint(100.0 * r.normal()));
      break;
    case Dist::Uniform:
      v = static_cast<int64_t>(r.below(20001)) - 10000;
      break;
    case Dist::Cauchy: {
      double den = r.normal();
      v = clip(std::nearbyint(10.0 * r.normal() / (den == 0 ? 1e-9 : den)));
      break;
    }
    case Dist::Negative:
      v = -1 - static_cast<int64_t>(r.below(uint64_t(1) << 20));
      break;
    case Dist::Large: {
      int64_t mag = static_cast<int64_t>(
          (uint64_t(1) << 40) +
          r.below((uint64_t(1) << 62) - (uint64_t(1) << 40)));
      v = r.below(2) ? mag : -mag;
      break;
    }
    case Dist::Special:
      v = r.below(2) ? table[r.below(tn)]
                     : static_cast<int64_t>(r.below(201)) - 100;
      break;
    case Dist::Adversarial: // the table in turn, then random bit patterns
      v = i < tn ? table[(i + seed) % tn] : static_cast<int64_t>(r.next());
      break;
    }
    if (dom.kind == Domain::Kind::Range &&
        !(static_cast<double>(v) >= dom.lo &&
          static_cast<double>(v) <= dom.hi)) {
      double lo = std::ceil(std::max(dom.lo, -9007199254740992.0));
      double hi = std::floor(std::min(dom.hi, 9007199254740992.0));
      int64_t l = static_cast<int64_t>(lo), h = static_cast<int64_t>(hi);
      uint64_t pick = r.below(8);
      if (pick == 0 || h < l)
        v = l;
      else if (pick == 1)
        v = h;
      else
        v = l + static_cast<int64_t>(r.below(static_cast<uint64_t>(h - l) + 1));
    }
    out[i] = v;
  }
  return out;
}

// Bytes of a generated buffer of `bytes` bytes for element type dtype
// ("float32": 4-byte elements, "bool": 1 byte, "int64": 8 bytes).
inline std::vector<uint8_t> generateBytes(const std::string &dtype, Dist d,
                                          uint64_t seed, const Domain &dom,
                                          size_t bytes) {
  if (dtype == "bool")
    return generateBool(d, seed, bytes);
  if (dtype == "int64") {
    std::vector<int64_t> v = generateInt64(d, seed, dom, bytes / 8);
    std::vector<uint8_t> out(bytes, 0);
    if (!v.empty())
      std::memcpy(out.data(), v.data(), v.size() * 8);
    return out;
  }
  std::vector<uint32_t> v = generateFloat32(d, seed, dom, bytes / 4);
  std::vector<uint8_t> out(bytes, 0);
  if (!v.empty())
    std::memcpy(out.data(), v.data(), v.size() * 4);
  return out;
}

} // namespace ksynth::gen
