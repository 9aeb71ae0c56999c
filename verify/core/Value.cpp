#include "verify/core/Value.h"

#include "support/Float.h"

#include <cassert>

namespace ksynth::verify {

uint64_t maskTo(uint64_t v, unsigned w) {
  return w >= 64 ? v : (v & ((uint64_t(1) << w) - 1));
}

int64_t signExtend(uint64_t v, unsigned w) {
  if (w >= 64)
    return static_cast<int64_t>(v);
  uint64_t m = uint64_t(1) << (w - 1);
  v = maskTo(v, w);
  return static_cast<int64_t>((v ^ m) - m);
}

Val Val::intConst(uint64_t v, unsigned w) {
  Val r;
  r.kind = Kind::Int;
  r.width = w;
  r.c = maskTo(v, w);
  return r;
}

Val Val::intSym(const smt::Expr &e) {
  if (auto v = e.asUInt())
    return intConst(*v, e.bvWidth());
  Val r;
  r.kind = Kind::Int;
  r.width = e.bvWidth();
  r.isConst = false;
  r.e = e;
  return r;
}

Val Val::floatConst(uint32_t bits) {
  Val r;
  r.kind = Kind::Float;
  r.width = 32;
  r.c = bits;
  return r;
}

Val Val::floatConstF(float f) { return floatConst(floatBits(f)); }

Val Val::floatSym(const smt::Expr &e) {
  Val r;
  r.kind = Kind::Float;
  r.width = 32;
  r.isConst = false;
  r.e = e;
  return r;
}

Val Val::ptr(int region, const Val &offset) {
  assert(offset.isInt() && offset.width == 64);
  Val r = offset;
  r.kind = Kind::Ptr;
  r.region = region;
  return r;
}

Val Val::vec(std::vector<Val> elems) {
  Val r;
  r.kind = Kind::Vec;
  r.elems = std::move(elems);
  return r;
}

int64_t Val::sval() const {
  assert(isConst);
  return signExtend(c, width);
}

smt::Expr Val::expr() const {
  if (!isConst)
    return e;
  switch (kind) {
  case Kind::Int:
  case Kind::Ptr:
    return smt::Expr::bvVal(c, width);
  case Kind::Float: {
    uint32_t b = static_cast<uint32_t>(c);
    // A NaN constant keeps its encoding as a reinterpreted bit-vector (an
    // fp NaN numeral has none; verify/numerics/FloatBits.h reads it back).
    if ((b & 0x7fffffffu) > 0x7f800000u)
      return smt::Expr::fpFromBits(smt::Expr::bvVal(b, 32));
    return smt::Expr::fpFromBitsVal(b);
  }
  default:
    assert(false && "expr() of a non-scalar value");
    return {};
  }
}

Val Val::offset() const {
  assert(isPtr());
  Val r = *this;
  r.kind = Kind::Int;
  r.region = -1;
  return r;
}

std::string Val::str() const {
  switch (kind) {
  case Kind::Int:
    return isConst ? "i" + std::to_string(width) + " " + std::to_string(sval())
                   : e.str();
  case Kind::Float:
    return isConst ? formatFloat(bitsFloat(static_cast<uint32_t>(c))) : e.str();
  case Kind::Ptr:
    return "ptr(r" + std::to_string(region) + " + " +
           (isConst ? std::to_string(c) : e.str()) + ")";
  case Kind::Vec: {
    std::string s = "<";
    for (size_t i = 0; i < elems.size(); ++i)
      s += (i ? ", " : "") + elems[i].str();
    return s + ">";
  }
  case Kind::Poison:
    return "poison";
  }
  return "?";
}

} // namespace ksynth::verify
