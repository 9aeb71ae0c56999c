// The explicit-rounding and binary16 (OpenCL half) operations of Expr:
// fpRoundIntegral in each mode, fpToHalfBits against known encodings (ties,
// overflow, subnormals, signed zeros, NaN) and halfBitsToFP as its exact
// inverse on every half.
#include "solver/Expr.h"
#include "support/Float.h"

#include <gtest/gtest.h>

using ksynth::bitsFloat;
using ksynth::floatBits;
using ksynth::smt::Expr;
using Mode = ksynth::smt::Expr::RoundMode;

namespace {

uint32_t roundBits(float f, Mode m) {
  return *Expr::fpVal(f).fpRoundIntegral(m).simplify().asFPBits();
}

uint64_t halfOf(float f, Mode m) {
  return *Expr::fpVal(f).fpToHalfBits(m).simplify().asUInt();
}

TEST(ExprRounding, RoundIntegralInEachMode) {
  EXPECT_EQ(roundBits(2.5f, Mode::NearestEven), floatBits(2.0f));
  EXPECT_EQ(roundBits(3.5f, Mode::NearestEven), floatBits(4.0f));
  EXPECT_EQ(roundBits(-2.5f, Mode::TowardZero), floatBits(-2.0f));
  EXPECT_EQ(roundBits(-2.5f, Mode::Down), floatBits(-3.0f));
  EXPECT_EQ(roundBits(-2.5f, Mode::Up), floatBits(-2.0f));
  EXPECT_EQ(roundBits(0.25f, Mode::Up), floatBits(1.0f));
  EXPECT_EQ(roundBits(-0.25f, Mode::Up), floatBits(-0.0f)); // sign kept
  EXPECT_EQ(roundBits(-0.25f, Mode::Down), floatBits(-1.0f));
}

TEST(ExprHalf, FloatToHalfRoundsInTheMode) {
  EXPECT_EQ(halfOf(1.0f, Mode::NearestEven), 0x3c00u);
  EXPECT_EQ(halfOf(-2.0f, Mode::NearestEven), 0xc000u);
  EXPECT_EQ(halfOf(65504.0f, Mode::NearestEven), 0x7bffu); // largest half
  EXPECT_EQ(halfOf(65520.0f, Mode::NearestEven), 0x7c00u); // tie -> inf
  EXPECT_EQ(halfOf(65520.0f, Mode::TowardZero), 0x7bffu);
  EXPECT_EQ(halfOf(1e-8f, Mode::NearestEven), 0x0000u);  // below 2^-25
  EXPECT_EQ(halfOf(1e-8f, Mode::Up), 0x0001u);           // smallest subnormal
  EXPECT_EQ(halfOf(-1e-8f, Mode::NearestEven), 0x8000u); // -0
  EXPECT_EQ(halfOf(-1e-8f, Mode::Down), 0x8001u);
  EXPECT_EQ(halfOf(bitsFloat(0x7fc00000), Mode::NearestEven), 0x7e00u);
  // 1 + 2^-11 is halfway between 1 and the next half: ties to even.
  EXPECT_EQ(halfOf(1.0f + 0x1p-11f, Mode::NearestEven), 0x3c00u);
  EXPECT_EQ(halfOf(1.0f + 0x1p-11f, Mode::Up), 0x3c01u);
}

TEST(ExprHalf, HalfToFloatIsExactAndInvertsRounding) {
  for (uint32_t h = 0; h < 0x10000; h += 7) {
    SCOPED_TRACE(h);
    Expr f = Expr::halfBitsToFP(Expr::bvVal(h, 16)).simplify();
    bool nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff);
    EXPECT_EQ(f.isNaN().simplify().isTrue(), nan);
    if (nan)
      continue;
    // Every half is a float: converting back in any mode is the identity.
    EXPECT_EQ(f.fpToHalfBits(Mode::NearestEven).simplify().asUInt(), h);
    EXPECT_EQ(f.fpToHalfBits(Mode::Down).simplify().asUInt(), h);
  }
  EXPECT_EQ(Expr::halfBitsToFP(Expr::bvVal(0x3c00, 16)).simplify().asFPBits(),
            floatBits(1.0f));
  EXPECT_EQ(Expr::halfBitsToFP(Expr::bvVal(0x0001, 16)).simplify().asFPBits(),
            floatBits(0x1p-24f));
}

} // namespace
