// The adversarial distribution (runtime/worker/Generate.h) used by the
// self-check of `ksynth verify`: every NaN class and special value comes
// first, the domain is never left, and the bits are deterministic.
#include "runtime/worker/Generate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace ksynth {
namespace {

bool has(const std::vector<uint32_t> &v, uint32_t b) {
  return std::find(v.begin(), v.end(), b) != v.end();
}

TEST(Adversarial, PoolHasEveryNanClassAndSpecialValue) {
  std::vector<uint32_t> pool = gen::adversarialPool(gen::Domain{});
  for (uint32_t b :
       {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff800001u, 0x7fffffffu,
        0xffffffffu, 0x7fc00001u, 0x7fa00000u, 0xffa00000u, 0x00000000u,
        0x80000000u, 0x7f800000u, 0xff800000u, 0x00000001u, 0x80000001u,
        0x007fffffu, 0x807fffffu, 0x00800000u, 0x7f7fffffu, 0xff7fffffu,
        0x3f800000u, 0xbf800000u})
    EXPECT_TRUE(has(pool, b)) << std::hex << b;
  // The first elements of a tensor walk through the pool.
  std::vector<uint32_t> v =
      gen::adversarialFloat32(3, gen::Domain{}, pool.size() + 100);
  for (uint32_t b : pool)
    EXPECT_TRUE(has(v, b)) << std::hex << b;
}

TEST(Adversarial, OffsetsCoverThePoolAtSmallSizes) {
  std::vector<uint32_t> pool = gen::adversarialPool(gen::Domain{});
  std::set<uint32_t> seen;
  size_t n = 4, sets = (pool.size() + n - 1) / n;
  for (size_t k = 0; k < sets; ++k)
    for (uint32_t b : gen::adversarialFloat32(k, gen::Domain{}, n, k * n))
      seen.insert(b);
  EXPECT_EQ(seen.size(), pool.size());
}

TEST(Adversarial, NeverLeavesTheDomain) {
  gen::Domain fin{gen::Domain::Kind::Finite, 0, 0};
  for (uint32_t b : gen::adversarialFloat32(1, fin, 5000))
    EXPECT_TRUE(std::isfinite(gen::floatOf(b))) << std::hex << b;
  gen::Domain r{gen::Domain::Kind::Range, -1.5, 3.25};
  std::vector<uint32_t> v = gen::adversarialFloat32(2, r, 5000);
  for (uint32_t b : v) {
    float f = gen::floatOf(b);
    EXPECT_TRUE(f >= -1.5f && f <= 3.25f) << std::hex << b;
  }
  // The edges and their neighbours inside are there.
  EXPECT_TRUE(has(v, gen::bitsOf(-1.5f)));
  EXPECT_TRUE(has(v, gen::bitsOf(3.25f)));
  EXPECT_TRUE(has(v, gen::bitsOf(std::nextafter(-1.5f, 0.0f))));
  EXPECT_TRUE(has(v, gen::bitsOf(std::nextafter(3.25f, 0.0f))));
  // A range with an open end: -inf is in it, no NaN.
  gen::Domain half{gen::Domain::Kind::Range, -INFINITY, 0};
  std::vector<uint32_t> h = gen::adversarialFloat32(4, half, 3000);
  EXPECT_TRUE(has(h, 0xff800000u));
  for (uint32_t b : h)
    EXPECT_TRUE(gen::floatOf(b) <= 0.0f) << std::hex << b;
  // Integers stay in an integer range.
  gen::Domain ir{gen::Domain::Kind::Range, -3, 7};
  for (int64_t x : gen::generateInt64(gen::Dist::Adversarial, 5, ir, 2000))
    EXPECT_TRUE(x >= -3 && x <= 7) << x;
}

TEST(Adversarial, DeterministicAndRandomAfterThePool) {
  auto a = gen::adversarialFloat32(9, gen::Domain{}, 2000);
  EXPECT_EQ(a, gen::adversarialFloat32(9, gen::Domain{}, 2000));
  EXPECT_NE(a, gen::adversarialFloat32(10, gen::Domain{}, 2000));
  std::set<uint32_t> distinct(a.begin(), a.end());
  EXPECT_GT(distinct.size(), 1000u); // random bit patterns, not the pool only
  EXPECT_EQ(
      gen::generateFloat32(gen::Dist::Adversarial, 9, gen::Domain{}, 2000), a);
}

} // namespace
} // namespace ksynth
