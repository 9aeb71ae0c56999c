// Float encodings for bit-level reinterpretation (verify/numerics/FloatBits.h).
#include "verify/numerics/FloatBits.h"

#include "verify/core/VarNames.h"

#include <string>

namespace ksynth::verify {

using smt::Expr;

namespace {
constexpr uint32_t kSign = 0x80000000u;
constexpr uint32_t kCanonicalNaN = 0x7fc00000u;
} // namespace

Expr FloatBits::nanChoice(const Expr &f) {
  auto it = nans_.find(f.id());
  if (it != nans_.end())
    return it->second.second;
  // Any NaN encoding: the variable's bits where they are a NaN (either
  // sign, quiet or signalling, any payload), the canonical quiet NaN
  // otherwise; no side constraint needed.
  Expr v = Expr::bvVar(var::choice(Choice::Nondet, "nanbits", next_++), 32);
  Expr bits =
      Expr::ite(Expr::fpFromBits(v).isNaN(), v, Expr::bvVal(kCanonicalNaN, 32));
  nans_.emplace(f.id(), std::make_pair(f, bits));
  return bits;
}

Expr FloatBits::of(const Expr &f) {
  auto it = cache_.find(f.id());
  if (it != cache_.end())
    return it->second.second;
  Expr r;
  switch (f.op()) {
  case Expr::Op::FromBits:
    r = f.args()[0];
    break;
  case Expr::Op::FNeg:
    r = of(f.args()[0]).bxor(Expr::bvVal(kSign, 32));
    break;
  case Expr::Op::FAbs:
    r = of(f.args()[0]).band(Expr::bvVal(~kSign, 32));
    break;
  case Expr::Op::Ite: {
    std::vector<Expr> a = f.args();
    r = Expr::ite(a[0], of(a[1]), of(a[2]));
    break;
  }
  case Expr::Op::FPNum: {
    // (fp sign exponent significand): the rewriter's spelling of a
    // reinterpreted bit-vector; its parts are the encoding.
    std::vector<Expr> a = f.args();
    if (a.size() == 3 && a[0].isBV() && a[1].isBV() && a[2].isBV()) {
      r = a[0].concat(a[1]).concat(a[2]);
      break;
    }
    [[fallthrough]];
  }
  default:
    if (auto b = f.asFPBits(); b && (*b & 0x7fffffffu) <= 0x7f800000u) {
      r = Expr::bvVal(*b, 32); // a non-NaN numeral
      break;
    }
    r = Expr::ite(f.isNaN(), nanChoice(f), f.fpToBits());
    break;
  }
  cache_.emplace(f.id(), std::make_pair(f, r));
  return r;
}

} // namespace ksynth::verify
