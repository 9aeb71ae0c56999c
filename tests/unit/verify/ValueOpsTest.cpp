// The executor folds concrete operations with C++ arithmetic and builds SMT
// terms otherwise: both paths must agree bit for bit, or a proof about
// index arithmetic and constants would be about the wrong numbers.
#include "verify/exec/ValueOps.h"

#include "support/Float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using ksynth::bitsFloat;
using ksynth::floatBits;
using ksynth::smt::Expr;
using ksynth::verify::FloatBits;
using ksynth::verify::Val;
namespace ops = ksynth::verify::ops;

namespace {

// The same value forced onto the symbolic path.
Val sym(const Val &v) {
  Val r = v;
  r.isConst = false;
  r.e = v.expr();
  return r;
}

uint64_t evalBits(const Val &v) {
  if (v.isConst)
    return v.c;
  Expr e = v.isFloat() ? v.e.fpToBits() : v.e;
  auto r = e.simplify().asUInt();
  EXPECT_TRUE(r.has_value()) << e.str();
  return r.value_or(~0ull);
}

std::vector<float> samples() {
  std::vector<float> s = {0.0f,      -0.0f,  1.0f,    -1.0f,   0.1f,
                          3.0f,      1e-40f, -1e-45f, 3.4e38f, INFINITY,
                          -INFINITY, NAN,    2.5f,    -7.25f,  1e20f};
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i)
    s.push_back(bitsFloat(static_cast<uint32_t>(rng())));
  return s;
}

bool sameFloat(uint64_t a, uint64_t b) {
  float fa = bitsFloat(static_cast<uint32_t>(a)),
        fb = bitsFloat(static_cast<uint32_t>(b));
  return (std::isnan(fa) && std::isnan(fb)) || a == b;
}

} // namespace

TEST(ValueOps, FloatFoldingAgreesWithSmt) {
  for (float x : samples())
    for (float y : samples()) {
      Val a = Val::floatConstF(x), b = Val::floatConstF(y);
      for (ops::FOp op :
           {ops::FOp::Add, ops::FOp::Sub, ops::FOp::Mul, ops::FOp::Div}) {
        uint64_t c = evalBits(ops::fbin(op, a, b)); // NaN: a term
        uint64_t s = evalBits(ops::fbin(op, sym(a), sym(b)));
        ASSERT_TRUE(sameFloat(c, s))
            << static_cast<int>(op) << " " << x << " " << y;
      }
      uint64_t c = evalBits(ops::fma(a, b, a));
      uint64_t s = evalBits(ops::fma(sym(a), sym(b), sym(a)));
      ASSERT_TRUE(sameFloat(c, s)) << "fma " << x << " " << y;
      for (ops::FCmp p : {ops::FCmp::Olt, ops::FCmp::Oeq, ops::FCmp::Une,
                          ops::FCmp::Uge, ops::FCmp::Ord, ops::FCmp::One}) {
        ASSERT_EQ(ops::fcmp(p, a, b).c, evalBits(ops::fcmp(p, sym(a), sym(b))))
            << static_cast<int>(p) << " " << x << " " << y;
      }
    }
}

TEST(ValueOps, IntegerFoldingAgreesWithSmt) {
  std::vector<uint64_t> vs = {0,  1,          2,          7,          31,
                              32, 0x7fffffff, 0x80000000, 0xffffffff, 12345};
  for (uint64_t x : vs)
    for (uint64_t y : vs) {
      Val a = Val::intConst(x, 32), b = Val::intConst(y, 32);
      for (ops::IntOp op :
           {ops::IntOp::Add, ops::IntOp::Sub, ops::IntOp::Mul, ops::IntOp::And,
            ops::IntOp::Or, ops::IntOp::Xor, ops::IntOp::AShr, ops::IntOp::LShr,
            ops::IntOp::Shl}) {
        if ((op == ops::IntOp::Shl || op == ops::IntOp::LShr ||
             op == ops::IntOp::AShr) &&
            y >= 32)
          continue; // poison in LLVM; the executor checks before folding
        ASSERT_EQ(ops::intBin(op, a, b).c,
                  evalBits(ops::intBin(op, sym(a), sym(b))))
            << static_cast<int>(op) << " " << x << " " << y;
      }
      if (y != 0) {
        ASSERT_EQ(ops::intBin(ops::IntOp::UDiv, a, b).c,
                  evalBits(ops::intBin(ops::IntOp::UDiv, sym(a), sym(b))));
        ASSERT_EQ(ops::intBin(ops::IntOp::SRem, a, b).c,
                  evalBits(ops::intBin(ops::IntOp::SRem, sym(a), sym(b))));
      }
      for (ops::ICmp p :
           {ops::ICmp::Slt, ops::ICmp::Ult, ops::ICmp::Sge, ops::ICmp::Eq})
        ASSERT_EQ(ops::icmp(p, a, b).c, evalBits(ops::icmp(p, sym(a), sym(b))));
    }
}

TEST(ValueOps, ConversionsAgreeWithSmt) {
  for (float x : samples()) {
    Val a = Val::floatConstF(x);
    Val si = ops::fpToSI(a, 32);
    if (!si.isPoison()) {
      ASSERT_EQ(si.c, evalBits(ops::fpToSI(sym(a), 32))) << x;
    }
    Val back = ops::siToFP(Val::intConst(floatBits(x), 32));
    ASSERT_TRUE(sameFloat(
        back.c, evalBits(ops::siToFP(sym(Val::intConst(floatBits(x), 32))))));
    FloatBits fb;
    ASSERT_EQ(ops::floatToBits(a, fb).c, floatBits(x));
  }
}
