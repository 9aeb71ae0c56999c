// Coverage by enumeration (verify/discharge/CoverageEnum.h): exact over the id
// box, not applicable to data-dependent stores or past its work bound.
#include "verify/discharge/CoverageEnum.h"

#include <gtest/gtest.h>

using namespace ksynth;
using smt::Expr;
using verify::firstUnwritten;
using verify::StoreTerms;

namespace {

Expr c64(uint64_t v) { return Expr::bvVal(v, 64); }
const auto kNever = std::chrono::steady_clock::time_point::max();

TEST(CoverageEnum, EveryElementWritten) {
  Expr g = Expr::bvVar("g", 64);
  // Two stores per id: 2g and 2g + 1 cover [0, 10) for g < 5.
  std::vector<StoreTerms> st{{Expr::boolVal(true), g.mul(c64(2))},
                             {Expr::boolVal(true), g.mul(c64(2)).add(c64(1))}};
  EXPECT_EQ(firstUnwritten(st, {g}, {5}, 10, 1000, kNever), -1);
}

TEST(CoverageEnum, FirstGapFound) {
  Expr g = Expr::bvVar("g", 64), h = Expr::bvVar("h", 64);
  // 2-D: element 4h + g written unless g == 3 and h == 1 (element 7).
  Expr skip = g.eq(c64(3)) && h.eq(c64(1));
  std::vector<StoreTerms> st{{!skip, h.mul(c64(4)).add(g)}};
  EXPECT_EQ(firstUnwritten(st, {g, h}, {4, 3}, 12, 1000, kNever), 7);
  // Out-of-range addresses cover nothing.
  std::vector<StoreTerms> far{{Expr::boolVal(true), g.add(c64(100))}};
  EXPECT_EQ(firstUnwritten(far, {g}, {4}, 4, 1000, kNever), 0);
}

TEST(CoverageEnum, NotApplicable) {
  Expr g = Expr::bvVar("g", 64), n = Expr::bvVar("n", 64);
  std::vector<StoreTerms> st{{Expr::boolVal(true), g}};
  EXPECT_EQ(firstUnwritten(st, {g}, {1000}, 1000, 999, kNever), std::nullopt)
      << "past the work bound";
  std::vector<StoreTerms> other{{g.ult(n), g}};
  EXPECT_EQ(firstUnwritten(other, {g}, {8}, 8, 1000, kNever), std::nullopt)
      << "a variable other than the ids";
  Expr x = Expr::arrayVar("in:x", 64, 32);
  std::vector<StoreTerms> data{{x.select(g).eq(Expr::bvVal(0, 32)), g}};
  EXPECT_EQ(firstUnwritten(data, {g}, {8}, 8, 1000, kNever), std::nullopt)
      << "a store that depends on data";
}

} // namespace
