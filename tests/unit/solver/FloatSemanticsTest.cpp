// fp32 semantics: exact numerals, SMT '=' versus IEEE comparisons, NaN and
// signed zeros, the bit conversions, rounding of arithmetic and conversions.
#include "solver/Expr.h"
#include "solver/Solver.h"
#include "support/Float.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using ksynth::bitsFloat;
using ksynth::floatBits;
using ksynth::smt::Expr;
using ksynth::smt::makeZ3Solver;
using ksynth::smt::SatResult;
using ksynth::smt::SolverConfig;

namespace {

SatResult solve(std::vector<Expr> assertions) {
  SolverConfig cfg;
  cfg.timeoutMs = 10000;
  return makeZ3Solver(cfg)->check({std::move(assertions), "test"}).status;
}

const float kInf = std::numeric_limits<float>::infinity();

TEST(FloatNumerals, FpValIsExactForEveryKindOfFloat) {
  const uint32_t patterns[] = {
      0x00000000, 0x80000000, // +0, -0
      0x00000001, 0x80000001, // smallest subnormals
      0x007fffff, 0x00400000, // largest subnormal, a middle one
      0x00800000, 0x3f800000, 0xbf800000, 0x3f8ccccd, // normals
      0x7f7fffff, 0xff7fffff,                         // largest finite
      0x7f800000, 0xff800000,                         // infinities
  };
  for (uint32_t bits : patterns) {
    SCOPED_TRACE(bits);
    EXPECT_EQ(Expr::fpFromBitsVal(bits).asFPBits(), bits);
    EXPECT_EQ(Expr::fpVal(bitsFloat(bits)).asFPBits(), bits);
    // The numeral agrees with to_fp of the bit pattern (a different path).
    Expr viaBits = Expr::fpFromBits(Expr::bvVal(bits, 32));
    EXPECT_TRUE(viaBits.eq(Expr::fpFromBitsVal(bits)).simplify().isTrue());
  }
  // Every NaN is the one SMT NaN, read back as the canonical quiet NaN.
  for (uint32_t nan : {0x7fc00000u, 0x7fc00001u, 0xffc00000u, 0x7f800001u})
    EXPECT_EQ(Expr::fpFromBitsVal(nan).asFPBits(), 0x7fc00000u);
  EXPECT_EQ(Expr::fpVal(std::nanf("")).asFPBits(), 0x7fc00000u);
  EXPECT_FALSE(Expr::fpVar("x").asFPBits());
  EXPECT_FALSE(Expr::fpVar("x").fadd(Expr::fpVal(1)).asFPBits());
}

TEST(FloatNumerals, GroundArithmeticRoundsToNearestEven) {
  const float xs[] = {1.5f,   -2.25f,      0.1f,       3.0f, 1e-40f,
                      1e-45f, 1e30f,       -1e38f,     0.0f, -0.0f,
                      kInf,   16777216.0f, 0.3333333f, 7.0f};
  for (float a : xs)
    for (float b : xs) {
      SCOPED_TRACE(std::to_string(a) + " " + std::to_string(b));
      Expr ea = Expr::fpVal(a), eb = Expr::fpVal(b);
      auto bitsOf = [](float f) {
        return std::isnan(f) ? 0x7fc00000u : floatBits(f);
      };
      volatile float sum = a + b, prod = a * b, quot = a / b;
      EXPECT_EQ(ea.fadd(eb).simplify().asFPBits(), bitsOf(sum));
      EXPECT_EQ(ea.fmul(eb).simplify().asFPBits(), bitsOf(prod));
      EXPECT_EQ(ea.fdiv(eb).simplify().asFPBits(), bitsOf(quot));
    }
}

TEST(FloatNumerals, FmaRoundsOnce) {
  float a = 1.0f + std::ldexp(1.0f, -12), c = -(1.0f + std::ldexp(1.0f, -11));
  volatile float prod = a * a;
  volatile float separate = prod + c;
  float fused = std::fma(a, a, c);
  ASSERT_NE(floatBits(separate), floatBits(fused));
  Expr ea = Expr::fpVal(a), ec = Expr::fpVal(c);
  EXPECT_EQ(ea.fma(ea, ec).simplify().asFPBits(), floatBits(fused));
  EXPECT_EQ(ea.fmul(ea).fadd(ec).simplify().asFPBits(), floatBits(separate));
}

TEST(FloatSemantics, EqIsIdentityOfDataButFoeqIsIeee) {
  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y");
  // NaN = NaN under SMT '=', never under fp.eq.
  EXPECT_EQ(solve({x.isNaN(), y.isNaN(), !x.eq(y)}), SatResult::Unsat);
  EXPECT_EQ(solve({x.isNaN(), x.foeq(x)}), SatResult::Unsat);
  EXPECT_EQ(solve({x.isNaN(), x.eq(x)}), SatResult::Sat);
  Expr nan = Expr::fpVal(std::nanf(""));
  EXPECT_TRUE(nan.foeq(nan).simplify().isFalse());
  EXPECT_TRUE(nan.folt(Expr::fpVal(1)).simplify().isFalse());
  EXPECT_TRUE(nan.fogt(Expr::fpVal(1)).simplify().isFalse());
}

TEST(FloatSemantics, SignedZeros) {
  Expr pz = Expr::fpVal(0.0f), nz = Expr::fpVal(-0.0f);
  EXPECT_TRUE(pz.eq(nz).simplify().isFalse());
  EXPECT_TRUE(pz.foeq(nz).simplify().isTrue());
  EXPECT_TRUE(nz.folt(pz).simplify().isFalse());
  EXPECT_TRUE(nz.isNegative().simplify().isTrue());
  EXPECT_TRUE(pz.isNegative().simplify().isFalse());
  EXPECT_EQ(pz.fneg().simplify().asFPBits(), 0x80000000u);
  EXPECT_EQ(nz.fabs().simplify().asFPBits(), 0u);
  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y");
  EXPECT_EQ(solve({x.isZero(), y.isZero(), !x.eq(y)}), SatResult::Sat);
  EXPECT_EQ(solve({x.isZero(), y.isZero(), !x.foeq(y)}), SatResult::Unsat);
}

TEST(FloatSemantics, BitsOfNaNAreCanonical) {
  Expr x = Expr::fpVar("x");
  EXPECT_EQ(solve({x.isNaN(), x.fpToBits().ne(Expr::bvVal(0x7fc00000, 32))}),
            SatResult::Unsat);
  Expr nan1 = Expr::fpFromBits(Expr::bvVal(0x7fc00001, 32));
  EXPECT_TRUE(nan1.isNaN().simplify().isTrue());
  EXPECT_EQ(nan1.fpToBits().simplify().asUInt(), 0x7fc00000u);
  Expr negNan = Expr::fpFromBits(Expr::bvVal(0xffc00000, 32));
  EXPECT_TRUE(negNan.isNegative().simplify().isFalse());
  Expr b = Expr::bvVar("b", 32);
  EXPECT_EQ(
      solve({b.eq(Expr::bvVal(0x7fc00001, 32)), !Expr::fpFromBits(b).isNaN()}),
      SatResult::Unsat);
  // Away from NaN, bits -> float -> bits is the identity.
  Expr f = Expr::fpFromBits(b);
  EXPECT_EQ(solve({!f.isNaN(), f.fpToBits().ne(b)}), SatResult::Unsat);
  EXPECT_EQ(solve({f.isNaN(), f.fpToBits().ne(b)}), SatResult::Sat);
}

TEST(FloatSemantics, ConversionsRoundAsLlvm) {
  auto toS = [](float f) {
    return Expr::fpVal(f).fpToSBV(32).simplify().asUInt();
  };
  EXPECT_EQ(toS(-2.7f), uint64_t(uint32_t(-2))); // toward zero
  EXPECT_EQ(toS(2.7f), 2u);
  EXPECT_EQ(Expr::fpVal(2.99f).fpToUBV(8).simplify().asUInt(), 2u);
  auto fromS = [](uint32_t v) {
    return Expr::sbvToFP(Expr::bvVal(v, 32)).simplify().asFPBits();
  };
  EXPECT_EQ(fromS(16777217), floatBits(16777216.0f)); // tie to even
  EXPECT_EQ(fromS(16777219), floatBits(16777220.0f));
  EXPECT_EQ(fromS(uint32_t(-3)), floatBits(-3.0f));
  EXPECT_EQ(Expr::ubvToFP(Expr::bvVal(0xffffffff, 32)).simplify().asFPBits(),
            floatBits(4294967296.0f));
  EXPECT_EQ(Expr::fpVal(2.0f).fsqrt().simplify().asFPBits(),
            floatBits(std::sqrt(2.0f)));
}

TEST(FloatSemantics, Classification) {
  auto holds = [](Expr e) { return e.simplify().isTrue(); };
  EXPECT_TRUE(holds(Expr::fpVal(kInf).isInf()));
  EXPECT_TRUE(holds(Expr::fpVal(-kInf).isNegative()));
  EXPECT_TRUE(holds(Expr::fpFromBitsVal(1).isSubnormal()));
  EXPECT_FALSE(holds(Expr::fpVal(1.0f).isSubnormal()));
  EXPECT_TRUE(holds(Expr::fpVal(-0.0f).isZero()));
}

} // namespace
