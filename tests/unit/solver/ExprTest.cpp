// Expr: constant folding, inspection, traversal, substitution, sort checks.
#include "solver/Expr.h"

#include <chrono>
#include <gtest/gtest.h>

using ksynth::smt::Expr;

namespace {

TEST(ExprFold, BooleanConnectivesFoldConstants) {
  Expr x = Expr::boolVar("x");
  Expr t = Expr::boolVal(true), f = Expr::boolVal(false);
  EXPECT_TRUE((t && x).same(x));
  EXPECT_TRUE((x && t).same(x));
  EXPECT_TRUE((f && x).isFalse());
  EXPECT_TRUE((x && f).isFalse());
  EXPECT_TRUE((f || x).same(x));
  EXPECT_TRUE((x || t).isTrue());
  EXPECT_TRUE((!t).isFalse());
  EXPECT_TRUE((!f).isTrue());
  EXPECT_TRUE((!!x).same(x));
  EXPECT_TRUE(f.implies(x).isTrue());
  EXPECT_TRUE(t.implies(x).same(x));
  EXPECT_TRUE(x.implies(t).isTrue());
  EXPECT_TRUE(Expr::andAll({}).isTrue());
  EXPECT_TRUE(Expr::orAll({}).isFalse());
  EXPECT_TRUE(Expr::andAll({t, x, t}).same(x));
  EXPECT_TRUE(Expr::orAll({f, x, t}).isTrue());
  // Not folded: a genuine conjunction stays one.
  Expr y = Expr::boolVar("y");
  Expr xy = x && y;
  EXPECT_FALSE(xy.isTrue() || xy.isFalse() || xy.same(x) || xy.same(y));
}

TEST(ExprFold, IteFoldsConstantCondition) {
  Expr a = Expr::fpVar("a"), b = Expr::fpVar("b");
  Expr c = Expr::boolVar("c");
  EXPECT_TRUE(Expr::ite(Expr::boolVal(true), a, b).same(a));
  EXPECT_TRUE(Expr::ite(Expr::boolVal(false), a, b).same(b));
  EXPECT_TRUE(Expr::ite(c, a, a).same(a));
  EXPECT_TRUE(Expr::ite(c, Expr::boolVal(true), Expr::boolVal(false)).same(c));
  Expr i = Expr::ite(c, a, b);
  EXPECT_FALSE(i.same(a) || i.same(b));
  EXPECT_TRUE(i.isFP());
}

TEST(ExprFold, EqFoldsIdenticalAndNumerals) {
  Expr x = Expr::bvVar("x", 32);
  EXPECT_TRUE(x.eq(x).isTrue());
  EXPECT_TRUE(Expr::bvVal(3, 8).eq(Expr::bvVal(3, 8)).isTrue());
  EXPECT_TRUE(Expr::bvVal(3, 8).eq(Expr::bvVal(4, 8)).isFalse());
  EXPECT_TRUE(x.ne(x).isFalse());
  Expr p = Expr::boolVar("p");
  EXPECT_TRUE(p.eq(Expr::boolVal(true)).same(p));
  EXPECT_FALSE(x.eq(Expr::bvVar("y", 32)).isTrue());
}

TEST(ExprInspect, SortsNumeralsAndVariables) {
  Expr b = Expr::bvVar("b", 13);
  EXPECT_TRUE(b.isBV());
  EXPECT_FALSE(b.isFP() || b.isBool());
  EXPECT_EQ(b.bvWidth(), 13u);
  EXPECT_TRUE(b.isConstVar());
  EXPECT_EQ(b.varName(), "b");
  EXPECT_FALSE(b.asUInt());
  EXPECT_TRUE(Expr::fpVar("f").isFP());
  EXPECT_TRUE(Expr::boolVar("p").isBool());

  EXPECT_FALSE(Expr::bvVal(1, 8).isConstVar());
  EXPECT_FALSE(Expr::boolVal(true).isConstVar());
  EXPECT_FALSE(Expr::fpVal(1.0f).isConstVar());
  EXPECT_FALSE(b.add(b).isConstVar());

  EXPECT_EQ(Expr::bvVal(0x1ff, 8).asUInt(), 0xffu); // truncated
  EXPECT_EQ(Expr::bvVal(~uint64_t(0), 64).asUInt(), ~uint64_t(0));
  EXPECT_EQ(Expr::bvVal(5, 1).asUInt(), 1u);
  EXPECT_EQ(Expr::boolVal(false).asBool(), false);
  EXPECT_FALSE(Expr::boolVar("p").asBool());
  EXPECT_FALSE(Expr().isBV());
  EXPECT_TRUE(Expr().isNull());
}

TEST(ExprInspect, HashConsedIdentity) {
  Expr a = Expr::bvVar("a", 32);
  Expr s1 = a.add(Expr::bvVal(1, 32)), s2 = a.add(Expr::bvVal(1, 32));
  EXPECT_TRUE(s1.same(s2));
  EXPECT_EQ(s1.id(), s2.id());
  EXPECT_FALSE(s1.same(a.add(Expr::bvVal(2, 32))));
  Expr copy = s1, moved = std::move(s2);
  EXPECT_TRUE(copy.same(moved));
  EXPECT_TRUE(s2.isNull());
  EXPECT_NE(s1.str().find("bvadd"), std::string::npos);
}

TEST(ExprBV, GroundTermsSimplifyToNumerals) {
  auto v = [](uint64_t x, unsigned w = 32) { return Expr::bvVal(x, w); };
  EXPECT_EQ(v(7).sub(v(9)).simplify().asUInt(), 0xfffffffeu);
  EXPECT_EQ(v(0x80000000).ashr(v(4)).simplify().asUInt(), 0xf8000000u);
  EXPECT_EQ(v(0x80000000).lshr(v(4)).simplify().asUInt(), 0x08000000u);
  EXPECT_EQ(v(0xf0, 8).sext(16).simplify().asUInt(), 0xfff0u);
  EXPECT_EQ(v(0xf0, 8).zext(16).simplify().asUInt(), 0x00f0u);
  EXPECT_EQ(v(0x1234).trunc(8).simplify().asUInt(), 0x34u);
  EXPECT_EQ(v(0x1234).extract(11, 4).simplify().asUInt(), 0x23u);
  EXPECT_EQ(v(0xab, 8).concat(v(0xcd, 8)).simplify().asUInt(), 0xabcdu);
  EXPECT_EQ(v(uint32_t(-7)).sdiv(v(2)).simplify().asUInt(), uint32_t(-3));
  EXPECT_EQ(v(uint32_t(-7)).srem(v(2)).simplify().asUInt(), uint32_t(-1));
  EXPECT_EQ(v(uint32_t(-1)).slt(v(0)).simplify().asBool(), true);
  EXPECT_EQ(v(uint32_t(-1)).ult(v(0)).simplify().asBool(), false);
}

TEST(ExprVars, FirstOccurrenceOrderWithoutDuplicates) {
  Expr a = Expr::bvVar("a", 8), b = Expr::bvVar("b", 8),
       c = Expr::bvVar("c", 8);
  Expr e = c.add(a).mul(a.sub(b)).add(c);
  std::vector<Expr> vs = e.vars();
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_EQ(vs[0].varName(), "c");
  EXPECT_EQ(vs[1].varName(), "a");
  EXPECT_EQ(vs[2].varName(), "b");
  EXPECT_TRUE(Expr::bvVal(1, 8).vars().empty());
  EXPECT_TRUE(Expr::boolVal(true).vars().empty());
}

TEST(ExprVars, SharedDagIsNotTraversedExponentially) {
  Expr x = Expr::fpVar("x");
  Expr e = x;
  for (int i = 0; i < 200; ++i) // 2^200 paths, 201 nodes
    e = e.fadd(e);
  auto start = std::chrono::steady_clock::now();
  std::vector<Expr> vs = e.vars();
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_TRUE(vs[0].same(x));
  EXPECT_LT(secs, 0.5);
}

TEST(ExprSubstitute, ReplacesVariables) {
  Expr x = Expr::bvVar("x", 16), y = Expr::bvVar("y", 16);
  Expr e = x.add(y).mul(x);
  Expr r = e.substitute({{x, Expr::bvVal(3, 16)}, {y, Expr::bvVal(4, 16)}});
  EXPECT_EQ(r.simplify().asUInt(), 21u);
  // Simultaneous: a swap is a swap.
  Expr s = x.sub(y).substitute({{x, y}, {y, x}});
  EXPECT_TRUE(s.same(y.sub(x)));
  EXPECT_TRUE(e.substitute({}).same(e));
}

// Sort mismatches are caller bugs: caught with a message before Z3.
TEST(ExprDeathTest, SortMismatchAbortsWithMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Expr a = Expr::bvVar("a", 32), b = Expr::bvVar("b", 8);
  Expr f = Expr::fpVar("f");
  EXPECT_DEATH(a.add(b), "Expr::add: operands have different sorts");
  EXPECT_DEATH(f.add(f), "Expr::add: expects a bit-vector operand");
  EXPECT_DEATH(a.fadd(a), "Expr::fadd: expects fp32 operand");
  EXPECT_DEATH((void)(a && Expr::boolVar("p")), "expects Bool operand");
  EXPECT_DEATH(Expr::ite(a, f, f), "Expr::ite: expects Bool");
  EXPECT_DEATH(Expr::ite(Expr::boolVar("p"), f, a), "different sorts");
  EXPECT_DEATH(a.eq(f), "Expr::eq: operands have different sorts");
  EXPECT_DEATH(Expr::fpFromBits(b), "expects \\(_ BitVec 32\\)");
  EXPECT_DEATH(a.extract(40, 0), "Expr::extract");
  EXPECT_DEATH(Expr().add(a), "null expression");
}

} // namespace
