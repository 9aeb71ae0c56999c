// Group-id enumeration for the symbolic work-group method
// (verify/exec/GroupIdEnum.h) and one substitution over many terms
// (verify/exec/SubstituteAll.h): exact answers where every conjunct is over
// the group ids alone, no answer otherwise.
#include "verify/exec/GroupIdEnum.h"
#include "verify/exec/SubstituteAll.h"

#include <gtest/gtest.h>

using ksynth::smt::Expr;
using namespace ksynth::verify;

namespace {

Expr g(int d) { return Expr::bvVar("grp." + std::to_string(d), 64); }
Expr c(uint64_t v) { return Expr::bvVal(v, 64); }
// The int32 edge guard a tiled kernel computes: (int)(g * 64) + r < M.
Expr guard(int d, uint64_t r, uint64_t m) {
  Expr row =
      g(d).extract(31, 0).shl(Expr::bvVal(6, 32)).add(Expr::bvVal(r, 32));
  return row.slt(Expr::bvVal(m, 32));
}

TEST(GroupIdEnum, DecidesGuardsOverGroupIdsExactly) {
  GroupIdEnum e({g(0), g(1)}, {32, 2});
  // 32 groups of 64 rows over M = 2048: row 63 of every group is in range.
  EXPECT_EQ(e.feasible(guard(0, 63, 2048)), std::optional<bool>(true));
  EXPECT_EQ(e.feasible(!guard(0, 63, 2048)), std::optional<bool>(false));
  // M = 2047: only the last group's row 63 is past the end.
  EXPECT_EQ(e.feasible(!guard(0, 63, 2047)), std::optional<bool>(true));
  EXPECT_EQ(e.feasible(!guard(0, 63, 2047) && g(0).ult(c(31))),
            std::optional<bool>(false));
  // Conjunct with another variable: undecided unless the rest is empty.
  Expr x = Expr::bvVar("n", 64);
  EXPECT_EQ(e.feasible(guard(1, 0, 2048) && x.ult(c(3))), std::nullopt);
  EXPECT_EQ(e.feasible(!guard(0, 63, 2048) && x.ult(c(3))),
            std::optional<bool>(false));
  // Out of range ids do not count: g1 < 2.
  EXPECT_EQ(e.feasible(g(1).eq(c(2))), std::optional<bool>(false));
  EXPECT_EQ(e.feasible(g(1).eq(c(1))), std::optional<bool>(true));
}

TEST(GroupIdEnum, OffWhenTooManyGroups) {
  GroupIdEnum e({g(0), g(1)}, {1u << 10, 1u << 10});
  EXPECT_EQ(e.feasible(g(0).eq(c(5))), std::nullopt);
}

TEST(GroupIdEnum, CollisionsWithinAndAcrossGroups) {
  GroupIdEnum e({g(0)}, {8});
  GroupIdEnum e2({Expr::bvVar("grp'.0", 64)}, {8});
  Expr g2 = Expr::bvVar("grp'.0", 64);
  // Writes at 4g + 0 and 4g + 1; a second write at 4g + 4 hits the next
  // group's first element (an off-by-one stride).
  std::vector<Expr> xs{g(0).mul(c(4)), g(0).mul(c(4)).add(c(1))};
  std::vector<Expr> ysSame{g(0).mul(c(4)), g(0).mul(c(4)).add(c(4))};
  IndexCollisions w = collidingIndices(e, xs, e, ysSame, true);
  ASSERT_TRUE(w.enumerated[0] && w.enumerated[1]);
  EXPECT_EQ(w.with[0], std::vector<size_t>{0}); // itself only
  EXPECT_TRUE(w.with[1].empty());
  std::vector<Expr> ysOther{g2.mul(c(4)), g2.mul(c(4)).add(c(4))};
  IndexCollisions a = collidingIndices(e, xs, e2, ysOther, false);
  // 4g + 0 == 4g' + 4 at g = g' + 1: a cross-group pair; 4g == 4g' only
  // at g == g' (excluded).
  EXPECT_EQ(a.with[0], std::vector<size_t>{1});
  EXPECT_TRUE(a.with[1].empty());
  // An index over another variable collides with everything.
  std::vector<Expr> ysWild{Expr::bvVar("n", 64)};
  IndexCollisions u = collidingIndices(e, xs, e, ysWild, true);
  EXPECT_EQ(u.with[1], std::vector<size_t>{0});
}

TEST(SubstituteAll, SameAsOneByOne) {
  Expr a = Expr::bvVar("a", 64), b = Expr::bvVar("b", 64);
  Expr f = Expr::fpVar("f");
  std::vector<std::pair<Expr, Expr>> map{{a.add(c(1)), b}, {a.mul(c(2)), c(7)}};
  std::vector<Expr> ts{a.add(c(1)).mul(c(3)), a.mul(c(2)).ult(b),
                       Expr::ite(a.add(c(1)).eq(c(0)), f, f)};
  std::vector<Expr> want;
  for (const Expr &t : ts)
    want.push_back(t.substitute(map));
  std::vector<Expr *> ptrs;
  for (Expr &t : ts)
    ptrs.push_back(&t);
  substituteAll(ptrs, map);
  for (size_t i = 0; i < ts.size(); ++i)
    EXPECT_TRUE(ts[i].same(want[i])) << i;
}

} // namespace
