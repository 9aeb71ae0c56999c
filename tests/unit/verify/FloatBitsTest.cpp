// Float encodings for the kernel's bit reinterpretations: exact for input
// leaves and sign-bit operations on them, any NaN for computed NaNs. The
// sign-bit relu proved on negative NaNs (issue 10) came from giving every
// NaN the canonical encoding.
#include "verify/numerics/FloatBits.h"

#include "solver/Solver.h"
#include "verify/exec/ValueOps.h"

#include <gtest/gtest.h>

using ksynth::smt::Expr;
using ksynth::smt::makeZ3Solver;
using ksynth::smt::SatResult;
using ksynth::smt::SolverConfig;
using ksynth::verify::FloatBits;
using ksynth::verify::Val;
namespace ops = ksynth::verify::ops;

namespace {

SatResult solve(std::vector<Expr> assertions) {
  SolverConfig cfg;
  cfg.timeoutMs = 10000;
  return makeZ3Solver(cfg)->check({std::move(assertions), "test"}).status;
}

Expr bv(uint32_t v) { return Expr::bvVal(v, 32); }

TEST(FloatBits, InputLeafIsItsBitVector) {
  FloatBits fb;
  Expr b = Expr::bvVar("x0", 32);
  Expr f = Expr::fpFromBits(b);
  EXPECT_TRUE(fb.of(f).same(b));
  // Also after Z3's rewriter spells it (fp sign exponent significand).
  EXPECT_EQ(solve({fb.of(f.simplify()).ne(b)}), SatResult::Unsat);
  EXPECT_EQ(fb.choices(), 0u);
}

TEST(FloatBits, NegativeNaNInputKeepsItsSign) {
  FloatBits fb;
  Expr b = Expr::bvVar("x1", 32);
  Expr f = Expr::fpFromBits(b);
  // The sign-bit relu: as_int(v) < 0 for v = 0xffc00000.
  Expr sign = fb.of(f).slt(bv(0));
  EXPECT_EQ(solve({f.isNaN(), sign}), SatResult::Sat);
  EXPECT_EQ(solve({b.eq(bv(0xffc00000u)), !sign}), SatResult::Unsat);
}

TEST(FloatBits, SignOperationsAreExactOnNaNs) {
  FloatBits fb;
  Expr b = Expr::bvVar("x2", 32);
  Expr f = Expr::fpFromBits(b);
  EXPECT_EQ(solve({fb.of(f.fneg()).ne(b.bxor(bv(0x80000000u)))}),
            SatResult::Unsat);
  EXPECT_EQ(solve({fb.of(f.fabs()).ne(b.band(bv(0x7fffffffu)))}),
            SatResult::Unsat);
  Expr c = Expr::boolVar("c2");
  Expr g = Expr::fpFromBits(Expr::bvVar("y2", 32));
  EXPECT_EQ(solve({fb.of(Expr::ite(c, f, g)).ne(Expr::ite(c, b, fb.of(g)))}),
            SatResult::Unsat);
}

TEST(FloatBits, ComputedNaNHasAnyEncodingNumbersTheirOwn) {
  FloatBits fb;
  Expr x = Expr::fpFromBits(Expr::bvVar("x3", 32));
  Expr y = Expr::fpFromBits(Expr::bvVar("y3", 32));
  Expr s = x.fadd(y);
  Expr bits = fb.of(s);
  EXPECT_EQ(fb.choices(), 1u);
  // A NaN sum may have either sign and a non-canonical payload ...
  EXPECT_EQ(solve({s.isNaN(), bits.slt(bv(0))}), SatResult::Sat);
  EXPECT_EQ(solve({s.isNaN(), !bits.slt(bv(0))}), SatResult::Sat);
  EXPECT_EQ(
      solve({s.isNaN(), bits.ne(bv(0x7fc00000u)), bits.ne(bv(0xffc00000u))}),
      SatResult::Sat);
  // ... but is a NaN, and a number has its unique encoding.
  EXPECT_EQ(solve({s.isNaN(), !Expr::fpFromBits(bits).isNaN()}),
            SatResult::Unsat);
  EXPECT_EQ(solve({!s.isNaN(), bits.ne(s.fpToBits())}), SatResult::Unsat);
  // One choice per term: asked again, the same encoding.
  EXPECT_TRUE(fb.of(s).same(bits));
  EXPECT_EQ(fb.choices(), 1u);
}

TEST(FloatBits, FoldedNaNIsAChoiceNotTheHostsEncoding) {
  // 0/0 folded on the host gives x86's NaN; a device may give another.
  FloatBits fb;
  Val z = Val::floatConstF(0.0f);
  Val q = ops::fbin(ops::FOp::Div, z, z);
  ASSERT_FALSE(q.isConst);
  Val bits = ops::floatToBits(q, fb);
  EXPECT_EQ(solve({bits.e.slt(bv(0))}), SatResult::Sat);
  EXPECT_EQ(solve({!bits.e.slt(bv(0))}), SatResult::Sat);
  // Non-NaN constants keep their exact encoding.
  EXPECT_EQ(ops::floatToBits(Val::floatConstF(-0.0f), fb).c, 0x80000000u);
}

} // namespace
