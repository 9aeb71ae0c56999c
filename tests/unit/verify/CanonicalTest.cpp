// The free symmetries decided structurally (verify/numerics/Canonical.h):
// commuted operands of commutative operations are one term; anything else is
// not.
#include "verify/numerics/Canonical.h"

#include <gtest/gtest.h>

using namespace ksynth;
using smt::Expr;

namespace {
Expr f(const char *name) { return Expr::fpFromBits(Expr::bvVar(name, 32)); }
} // namespace

TEST(Canonical, CommutedAddMulFmaAndEqualityAreOneTerm) {
  Expr a = f("a[0]"), b = f("b[0]"), c = f("c[0]");
  EXPECT_TRUE(verify::sameUpToSymmetry(a.fadd(b), b.fadd(a)));
  EXPECT_TRUE(verify::sameUpToSymmetry(a.fmul(b).fadd(c), c.fadd(b.fmul(a))));
  EXPECT_TRUE(verify::sameUpToSymmetry(a.fma(b, c), b.fma(a, c)));
  EXPECT_TRUE(verify::sameUpToSymmetry(Expr::ite(a.foeq(b), a, c),
                                       Expr::ite(b.foeq(a), a, c)));
  // A select on a negated condition is the flipped select.
  EXPECT_TRUE(verify::sameUpToSymmetry(Expr::ite(!a.folt(b), a, c),
                                       Expr::ite(a.folt(b), c, a)));
  // Deep inside other operations too.
  EXPECT_TRUE(verify::sameUpToSymmetry(a.fadd(b).fsqrt().fneg(),
                                       b.fadd(a).fsqrt().fneg()));
}

TEST(Canonical, NonCommutativeOperandsAndDifferentTermsStayApart) {
  Expr a = f("a[0]"), b = f("b[0]"), c = f("c[0]");
  EXPECT_FALSE(verify::sameUpToSymmetry(a.fsub(b), b.fsub(a)));
  EXPECT_FALSE(verify::sameUpToSymmetry(a.fdiv(b), b.fdiv(a)));
  EXPECT_FALSE(verify::sameUpToSymmetry(a.folt(b), b.folt(a)));
  // fma: only the factors commute, not the addend.
  EXPECT_FALSE(verify::sameUpToSymmetry(a.fma(b, c), a.fma(c, b)));
  // (a + b) + c is not a + (b + c): association is not a symmetry.
  EXPECT_FALSE(verify::sameUpToSymmetry(a.fadd(b).fadd(c), a.fadd(b.fadd(c))));
  EXPECT_FALSE(verify::sameUpToSymmetry(a.fmul(b).fadd(a), b.fmul(a).fadd(b)));
  // !(a < b) is not b <= a (NaN): a flipped select needs the same test.
  EXPECT_FALSE(verify::sameUpToSymmetry(Expr::ite(!a.folt(b), a, c),
                                        Expr::ite(b.fole(a), a, c)));
}
