// Input generation, base64, digests and poison patterns (no device).
#include "runtime/worker/Generate.h"
#include "runtime/worker/Base64.h"
#include "runtime/worker/Digest.h"
#include "runtime/worker/Poison.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ksynth {
namespace {

TEST(Generate, SameSeedSameBitsOtherSeedOtherBits) {
  gen::Domain all;
  for (gen::Dist d : gen::allDists()) {
    auto a = gen::generateFloat32(d, 42, all, 1000);
    auto b = gen::generateFloat32(d, 42, all, 1000);
    auto c = gen::generateFloat32(d, 43, all, 1000);
    EXPECT_EQ(a, b) << gen::distName(d);
    EXPECT_NE(a, c) << gen::distName(d);
  }
}

TEST(Generate, PinnedDigestsDoNotDrift) {
  // Jobs emitted here are generated again by the worker on other machines
  // (and by older or newer builds): these digests must never change.
  const std::pair<gen::Dist, const char *> pinned[] = {
      {gen::Dist::Normal, "92b3f3f3ff34f26d"},
      {gen::Dist::Uniform, "2e152a3284520ab0"},
      {gen::Dist::Cauchy, "bca44a23673aac52"},
      {gen::Dist::Negative, "312b657c6ec5eddf"},
      {gen::Dist::Large, "27cf9ed043e78e83"},
      {gen::Dist::Special, "e19b9950a7fc0ded"}};
  for (const auto &[d, want] : pinned) {
    auto v = gen::generateFloat32(d, 1, gen::Domain{}, 1000);
    EXPECT_EQ(digest::ofBytes(reinterpret_cast<const uint8_t *>(v.data()),
                              4 * v.size()),
              want)
        << gen::distName(d);
  }
}

TEST(Generate, SpecialCoversNanInfZeroSubnormal) {
  auto v = gen::generateFloat32(gen::Dist::Special, 7, gen::Domain{}, 4000);
  bool nan = false, pinf = false, ninf = false, nzero = false, sub = false;
  for (uint32_t b : v) {
    float f = gen::floatOf(b);
    nan |= std::isnan(f);
    pinf |= f == INFINITY;
    ninf |= f == -INFINITY;
    nzero |= b == 0x80000000u;
    sub |= std::fpclassify(f) == FP_SUBNORMAL;
  }
  EXPECT_TRUE(nan && pinf && ninf && nzero && sub);
}

TEST(Generate, DistributionsHaveTheirShape) {
  gen::Domain all;
  for (uint32_t b : gen::generateFloat32(gen::Dist::Negative, 3, all, 1000)) {
    EXPECT_LT(gen::floatOf(b), 0.0f);
  }
  for (uint32_t b : gen::generateFloat32(gen::Dist::Large, 3, all, 1000)) {
    EXPECT_GE(std::fabs(gen::floatOf(b)), 1.8e19f);
  }
  double maxAbs = 0;
  for (uint32_t b : gen::generateFloat32(gen::Dist::Cauchy, 3, all, 1000))
    maxAbs = std::max(maxAbs, std::fabs(double(gen::floatOf(b))));
  EXPECT_GT(maxAbs, 50.0); // heavy tails
}

TEST(Generate, FiniteDomainHasNoNanOrInf) {
  gen::Domain fin;
  fin.kind = gen::Domain::Kind::Finite;
  for (gen::Dist d : gen::allDists()) {
    for (uint32_t b : gen::generateFloat32(d, 9, fin, 2000)) {
      ASSERT_TRUE(std::isfinite(gen::floatOf(b))) << gen::distName(d);
    }
  }
}

TEST(Generate, RangeDomainStaysInRangeAndHitsBounds) {
  gen::Domain r;
  r.kind = gen::Domain::Kind::Range;
  r.lo = -1;
  r.hi = 0.5;
  for (gen::Dist d : gen::allDists()) {
    bool lo = false, hi = false;
    for (uint32_t b : gen::generateFloat32(d, 11, r, 2000)) {
      float f = gen::floatOf(b);
      ASSERT_TRUE(f >= -1.0f && f <= 0.5f) << gen::distName(d) << " " << f;
      lo |= f == -1.0f;
      hi |= f == 0.5f;
    }
    if (d != gen::Dist::Normal && d != gen::Dist::Special) {
      EXPECT_TRUE(lo && hi) << gen::distName(d);
    }
  }
  // Half-infinite range: the infinite bound itself is in the domain.
  r.lo = 0;
  r.hi = INFINITY;
  for (uint32_t b : gen::generateFloat32(gen::Dist::Special, 5, r, 2000)) {
    ASSERT_GE(gen::floatOf(b), 0.0f);
  }
}

TEST(Generate, Int64HonoursIntegerRanges) {
  gen::Domain r;
  r.kind = gen::Domain::Kind::Range;
  r.lo = -100;
  r.hi = 9;
  for (gen::Dist d : gen::allDists()) {
    bool lo = false, hi = false;
    for (int64_t v : gen::generateInt64(d, 3, r, 2000)) {
      ASSERT_TRUE(v >= -100 && v <= 9) << gen::distName(d) << " " << v;
      lo |= v == -100;
      hi |= v == 9;
    }
    EXPECT_TRUE(lo && hi) << gen::distName(d);
  }
  bool extreme = false;
  for (int64_t v : gen::generateInt64(gen::Dist::Special, 3, {}, 2000))
    extreme |= v == INT64_MIN || v == INT64_MAX;
  EXPECT_TRUE(extreme);
}

TEST(Generate, BoolsAreZeroOrOne) {
  for (uint8_t b : gen::generateBool(gen::Dist::Special, 1, 500)) {
    ASSERT_LE(b, 1);
  }
}

TEST(Base64, RoundTripsEveryLength) {
  for (size_t n = 0; n < 20; ++n) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i)
      v[i] = static_cast<uint8_t>(i * 37 + 5);
    EXPECT_EQ(b64::decode(b64::encode(v)), v);
  }
  EXPECT_EQ(b64::encode(std::vector<uint8_t>{'M', 'a'}), "TWE=");
  EXPECT_THROW(b64::decode("TW*="), std::invalid_argument);
  EXPECT_THROW(b64::decode("TWE"), std::invalid_argument);
}

TEST(Digest, CanonicalMergesNansAndOptionallyZeros) {
  uint32_t a[3] = {0x7fc00000u, 0x80000000u, 0x3f800000u};
  uint32_t b[3] = {0xffc00001u, 0x00000000u, 0x3f800000u};
  auto p = [](uint32_t *x) { return reinterpret_cast<const uint8_t *>(x); };
  EXPECT_NE(digest::canonical("float32", p(a), 12, false),
            digest::canonical("float32", p(b), 12, false));
  EXPECT_EQ(digest::canonical("float32", p(a), 12, true),
            digest::canonical("float32", p(b), 12, true));
}

TEST(Poison, PatternsDifferPerRun) {
  uint8_t p[32] = {0};
  poison::fill(p, 8, "float32", 0);
  EXPECT_TRUE(poison::isPoison(p, 1, "float32", 0));
  EXPECT_FALSE(poison::isPoison(p, 1, "float32", 1));
  poison::fill(p, 8, "bool", 1);
  EXPECT_TRUE(poison::isPoison(p, 7, "bool", 1));
  EXPECT_FALSE(poison::isPoison(p, 7, "bool", 0));
}

} // namespace
} // namespace ksynth
