// Compiled concrete evaluation (solver/ConcreteProgram.h) against Z3's own
// rewriter on numerals: random operands through float32 arithmetic,
// bit-vector arithmetic with SMT-LIB's division by zero, comparisons,
// conversions and array reads.
#include "solver/ConcreteProgram.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

using ksynth::smt::ConcreteProgram;
using ksynth::smt::Expr;

namespace {

uint64_t viaZ3(const Expr &t, const std::vector<Expr> &vars,
               const std::vector<uint64_t> &vals) {
  std::vector<std::pair<Expr, Expr>> m;
  for (size_t i = 0; i < vars.size(); ++i)
    m.emplace_back(vars[i], Expr::bvVal(vals[i], vars[i].bvWidth()));
  Expr s = t.substitute(m).simplify();
  if (s.isBool())
    return s.asBool().value();
  if (s.isFP())
    return s.asFPBits().value();
  return s.asUInt().value();
}

TEST(ConcreteProgram, FloatArithmeticMatchesZ3) {
  Expr a = Expr::bvVar("a", 32), b = Expr::bvVar("b", 32),
       c = Expr::bvVar("c", 32);
  Expr fa = Expr::fpFromBits(a), fb = Expr::fpFromBits(b),
       fc = Expr::fpFromBits(c);
  std::vector<Expr> terms = {fa.fadd(fb),
                             fa.fsub(fb),
                             fa.fmul(fb),
                             fa.fdiv(fb),
                             fa.fma(fb, fc),
                             fa.fsqrt(),
                             fa.fneg(),
                             fa.fabs(),
                             Expr::ite(fa.folt(fb), fa, fc),
                             fa.fole(fb),
                             fa.foeq(fb),
                             fa.isNaN() || fb.isInf(),
                             fa.isZero(),
                             fa.isNegative(),
                             fa.isSubnormal(),
                             fa.eq(fb),
                             fa.fadd(fb).fpToBits()};
  std::vector<Expr> vars{a, b, c};
  std::mt19937_64 rng(7);
  const uint32_t special[] = {0,           0x80000000u, 0x7f800000u,
                              0xff800000u, 0x7fc00000u, 1,
                              0x3f800000u, 0x00800000u, 0x7f7fffffu};
  for (const Expr &t : terms) {
    auto p = ConcreteProgram::compile(t.isFP() ? t.fpToBits() : t, vars);
    ASSERT_TRUE(p.has_value()) << t.str();
    for (int i = 0; i < 300; ++i) {
      std::vector<uint64_t> v(3);
      for (uint64_t &x : v)
        x = (rng() % 4 == 0) ? special[rng() % 9] : (rng() & 0xffffffffu);
      uint64_t want = viaZ3(t.isFP() ? t.fpToBits() : t, vars, v);
      uint64_t got = p->run(v, nullptr);
      // NaN bits: both canonical (0x7fc00000) when read back as floats.
      EXPECT_EQ(got, want) << t.str() << " at " << std::hex << v[0] << " "
                           << v[1] << " " << v[2];
    }
  }
}

TEST(ConcreteProgram, BitVectorArithmeticMatchesZ3) {
  Expr x = Expr::bvVar("x", 32), y = Expr::bvVar("y", 32);
  Expr k = Expr::bvVar("k", 64);
  std::vector<Expr> terms = {x.add(y),
                             x.sub(y),
                             x.mul(y),
                             x.udiv(y),
                             x.urem(y),
                             x.sdiv(y),
                             x.srem(y),
                             x.shl(y),
                             x.lshr(y),
                             x.ashr(y),
                             x.band(y),
                             x.bor(y),
                             x.bxor(y),
                             x.bnot(),
                             x.bneg(),
                             x.ult(y),
                             x.slt(y),
                             x.ule(y),
                             x.sle(y),
                             x.extract(20, 3),
                             x.zext(64).add(k),
                             x.sext(64).mul(k),
                             k.trunc(32).add(x),
                             x.concat(y),
                             Expr::ite(x.eq(y), k, k.add(Expr::bvVal(1, 64)))};
  std::vector<Expr> vars{x, y, k};
  std::mt19937_64 rng(11);
  // Z3's rewriter spells some of them differently (a sign extension as an
  // n-ary concat of extracts): both forms.
  std::vector<Expr> both;
  for (const Expr &t : terms) {
    both.push_back(t);
    both.push_back(t.simplify());
  }
  both.push_back(x.sext(64).trunc(20).concat(y.extract(5, 0)).concat(x));
  for (const Expr &t : both) {
    auto p = ConcreteProgram::compile(t, vars);
    ASSERT_TRUE(p.has_value()) << t.str();
    for (int i = 0; i < 300; ++i) {
      std::vector<uint64_t> v = {rng() & 0xffffffffu, rng() & 0xffffffffu,
                                 rng()};
      if (i % 5 == 0)
        v[1] = i % 10 == 0 ? 0 : 0xffffffffu; // division by 0 and by -1
      if (i % 7 == 0)
        v[1] &= 31; // shifts in range
      EXPECT_EQ(p->run(v, nullptr), viaZ3(t, vars, v)) << t.str();
    }
  }
}

TEST(ConcreteProgram, ArrayReadsGoThroughTheCallback) {
  Expr k = Expr::bvVar("k", 64);
  Expr acc = Expr::bvVar("acc", 32);
  Expr in = Expr::arrayVar("in:x", 64, 32);
  Expr t = Expr::fpFromBits(acc)
               .fadd(Expr::fpFromBits(in.select(k.add(Expr::bvVal(5, 64)))))
               .fpToBits();
  auto p = ConcreteProgram::compile(t, {k, acc});
  ASSERT_TRUE(p.has_value());
  uint64_t seen = 0;
  std::string name;
  auto read = [&](const std::string &a, uint64_t i) -> uint64_t {
    name = a;
    seen = i;
    float f = 2.5f;
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return b;
  };
  float one = 1.0f;
  uint32_t ob;
  std::memcpy(&ob, &one, 4);
  uint64_t r = p->run({10, ob}, read);
  EXPECT_EQ(name, "in:x");
  EXPECT_EQ(seen, 15u);
  float rf;
  uint32_t rb = static_cast<uint32_t>(r);
  std::memcpy(&rf, &rb, 4);
  EXPECT_EQ(rf, 3.5f);
}

TEST(ConcreteProgram, RejectsUnknownVariablesAndFunctions) {
  Expr x = Expr::bvVar("x", 32), y = Expr::bvVar("y", 32);
  EXPECT_FALSE(ConcreteProgram::compile(x.add(y), {x}).has_value());
  Expr f = Expr::uf("exp", {Expr::fpFromBits(x)});
  EXPECT_FALSE(ConcreteProgram::compile(f.fpToBits(), {x}).has_value());
}

} // namespace
