#include "verify/exec/ValueOps.h"

#include "support/Error.h"
#include "support/Float.h"
#include "verify/core/Unknown.h"

#include <cassert>
#include <cmath>

namespace ksynth::verify::ops {

using smt::Expr;

namespace {

float asF(const Val &v) { return bitsFloat(static_cast<uint32_t>(v.c)); }

// A folded float result. A NaN's encoding is the host's choice (x86
// propagates the first operand's payload, GPUs give a canonical NaN), so
// a NaN becomes a term (FloatBits gives its encoding as a NaN choice).
Val floatResult(float r) {
  if (std::isnan(r))
    return Val::floatSym(Expr::fpVal(r));
  return Val::floatConstF(r);
}

Val intConcrete(IntOp op, uint64_t a, uint64_t b, unsigned w) {
  int64_t sa = signExtend(a, w), sb = signExtend(b, w);
  switch (op) {
  case IntOp::Add:
    return Val::intConst(a + b, w);
  case IntOp::Sub:
    return Val::intConst(a - b, w);
  case IntOp::Mul:
    return Val::intConst(a * b, w);
  case IntOp::UDiv:
    return Val::intConst(b ? a / b : 0, w);
  case IntOp::URem:
    return Val::intConst(b ? a % b : 0, w);
  case IntOp::SDiv:
    if (sb == 0 || (sb == -1 && sa == signExtend(uint64_t(1) << (w - 1), w)))
      return Val::intConst(0, w);
    return Val::intConst(static_cast<uint64_t>(sa / sb), w);
  case IntOp::SRem:
    if (sb == 0 || sb == -1)
      return Val::intConst(0, w);
    return Val::intConst(static_cast<uint64_t>(sa % sb), w);
  case IntOp::Shl:
    return Val::intConst(b >= w ? 0 : a << b, w);
  case IntOp::LShr:
    return Val::intConst(b >= w ? 0 : a >> b, w);
  case IntOp::AShr:
    return Val::intConst(
        static_cast<uint64_t>(b >= w ? (sa < 0 ? -1 : 0) : sa >> b), w);
  case IntOp::And:
    return Val::intConst(a & b, w);
  case IntOp::Or:
    return Val::intConst(a | b, w);
  case IntOp::Xor:
    return Val::intConst(a ^ b, w);
  }
  KSYNTH_UNREACHABLE("int op");
}

Expr intSymbolic(IntOp op, const Expr &a, const Expr &b) {
  switch (op) {
  case IntOp::Add:
    return a.add(b);
  case IntOp::Sub:
    return a.sub(b);
  case IntOp::Mul:
    return a.mul(b);
  case IntOp::UDiv:
    return a.udiv(b);
  case IntOp::SDiv:
    return a.sdiv(b);
  case IntOp::URem:
    return a.urem(b);
  case IntOp::SRem:
    return a.srem(b);
  case IntOp::Shl:
    return a.shl(b);
  case IntOp::LShr:
    return a.lshr(b);
  case IntOp::AShr:
    return a.ashr(b);
  case IntOp::And:
    return a.band(b);
  case IntOp::Or:
    return a.bor(b);
  case IntOp::Xor:
    return a.bxor(b);
  }
  KSYNTH_UNREACHABLE("int op");
}

} // namespace

Expr truthOf(const Val &v) {
  assert(v.isInt() && v.width == 1);
  if (v.isConst)
    return Expr::boolVal(v.c != 0);
  return v.e.eq(Expr::bvVal(1, 1));
}

Val fromTruth(const Expr &b) {
  if (auto c = b.asBool())
    return Val::intConst(*c ? 1 : 0, 1);
  return Val::intSym(Expr::ite(b, Expr::bvVal(1, 1), Expr::bvVal(0, 1)));
}

Val intBin(IntOp op, const Val &a, const Val &b) {
  assert(a.isInt() && b.isInt() && a.width == b.width);
  if (a.isConst && b.isConst)
    return intConcrete(op, a.c, b.c, a.width);
  // Cheap identities keep index arithmetic small.
  if (op == IntOp::And && ((a.isConst && a.c == 0) || (b.isConst && b.c == 0)))
    return Val::intConst(0, a.width);
  if (op == IntOp::Mul && ((a.isConst && a.c == 0) || (b.isConst && b.c == 0)))
    return Val::intConst(0, a.width);
  if ((op == IntOp::Add || op == IntOp::Or || op == IntOp::Xor) && b.isConst &&
      b.c == 0)
    return a;
  return Val::intSym(intSymbolic(op, a.expr(), b.expr()));
}

Val icmp(ICmp p, const Val &a, const Val &b) {
  assert(a.width == b.width);
  // Every predicate is eq, ult or slt, possibly with swapped operands and
  // negated: one table for the concrete and the symbolic case.
  enum class Base { Eq, Ult, Slt };
  struct Form {
    Base base;
    bool swap, negate;
  };
  // Indexed by ICmp: Eq, Ne, Ugt, Uge, Ult, Ule, Sgt, Sge, Slt, Sle.
  static const Form forms[] = {
      {Base::Eq, false, false},  {Base::Eq, false, true},
      {Base::Ult, true, false},  {Base::Ult, false, true},
      {Base::Ult, false, false}, {Base::Ult, true, true},
      {Base::Slt, true, false},  {Base::Slt, false, true},
      {Base::Slt, false, false}, {Base::Slt, true, true}};
  const auto [base, swap, negate] = forms[static_cast<int>(p)];
  const Val &x = swap ? b : a, &y = swap ? a : b;
  if (x.isConst && y.isConst) {
    bool r = base == Base::Eq    ? x.c == y.c
             : base == Base::Ult ? x.c < y.c
                                 : x.sval() < y.sval();
    return Val::intConst(r != negate ? 1 : 0, 1);
  }
  Expr ex = x.expr(), ey = y.expr();
  Expr r = base == Base::Eq    ? ex.eq(ey)
           : base == Base::Ult ? ex.ult(ey)
                               : ex.slt(ey);
  return fromTruth(negate ? !r : r);
}

Val fbin(FOp op, const Val &a, const Val &b) {
  assert(a.isFloat() && b.isFloat());
  if (a.isConst && b.isConst) {
    float x = asF(a), y = asF(b), r = 0;
    switch (op) {
    case FOp::Add:
      r = x + y;
      break;
    case FOp::Sub:
      r = x - y;
      break;
    case FOp::Mul:
      r = x * y;
      break;
    case FOp::Div:
      r = x / y;
      break;
    }
    return floatResult(r);
  }
  Expr x = a.expr(), y = b.expr();
  switch (op) {
  case FOp::Add:
    return Val::floatSym(x.fadd(y));
  case FOp::Sub:
    return Val::floatSym(x.fsub(y));
  case FOp::Mul:
    return Val::floatSym(x.fmul(y));
  case FOp::Div:
    return Val::floatSym(x.fdiv(y));
  }
  KSYNTH_UNREACHABLE("float op");
}

Val fneg(const Val &a) {
  if (a.isConst)
    return Val::floatConst(static_cast<uint32_t>(a.c) ^ 0x80000000u);
  return Val::floatSym(a.e.fneg());
}

Val fabs(const Val &a) {
  if (a.isConst)
    return Val::floatConst(static_cast<uint32_t>(a.c) & 0x7fffffffu);
  return Val::floatSym(a.e.fabs());
}

Val fma(const Val &a, const Val &b, const Val &c) {
  if (a.isConst && b.isConst && c.isConst)
    return floatResult(std::fmaf(asF(a), asF(b), asF(c)));
  return Val::floatSym(a.expr().fma(b.expr(), c.expr()));
}

Val isNaN(const Val &a) {
  if (a.isConst)
    return Val::intConst(std::isnan(asF(a)) ? 1 : 0, 1);
  return fromTruth(a.e.isNaN());
}

Val fcmp(FCmp p, const Val &a, const Val &b) {
  if (a.isConst && b.isConst) {
    float x = asF(a), y = asF(b);
    bool uno = std::isnan(x) || std::isnan(y), r = false;
    switch (p) {
    case FCmp::False:
      r = false;
      break;
    case FCmp::True:
      r = true;
      break;
    case FCmp::Oeq:
      r = !uno && x == y;
      break;
    case FCmp::Ogt:
      r = !uno && x > y;
      break;
    case FCmp::Oge:
      r = !uno && x >= y;
      break;
    case FCmp::Olt:
      r = !uno && x < y;
      break;
    case FCmp::Ole:
      r = !uno && x <= y;
      break;
    case FCmp::One:
      r = !uno && x != y;
      break;
    case FCmp::Ord:
      r = !uno;
      break;
    case FCmp::Uno:
      r = uno;
      break;
    case FCmp::Ueq:
      r = uno || x == y;
      break;
    case FCmp::Ugt:
      r = uno || x > y;
      break;
    case FCmp::Uge:
      r = uno || x >= y;
      break;
    case FCmp::Ult:
      r = uno || x < y;
      break;
    case FCmp::Ule:
      r = uno || x <= y;
      break;
    case FCmp::Une:
      r = uno || x != y;
      break;
    }
    return Val::intConst(r ? 1 : 0, 1);
  }
  Expr x = a.expr(), y = b.expr();
  Expr uno = x.isNaN() || y.isNaN();
  Expr r;
  switch (p) {
  case FCmp::False:
    r = Expr::boolVal(false);
    break;
  case FCmp::True:
    r = Expr::boolVal(true);
    break;
  case FCmp::Oeq:
    r = x.foeq(y);
    break;
  case FCmp::Ogt:
    r = x.fogt(y);
    break;
  case FCmp::Oge:
    r = x.foge(y);
    break;
  case FCmp::Olt:
    r = x.folt(y);
    break;
  case FCmp::Ole:
    r = x.fole(y);
    break;
  case FCmp::One:
    r = !uno && !x.foeq(y);
    break;
  case FCmp::Ord:
    r = !uno;
    break;
  case FCmp::Uno:
    r = uno;
    break;
  case FCmp::Ueq:
    r = uno || x.foeq(y);
    break;
  case FCmp::Ugt:
    r = uno || x.fogt(y);
    break;
  case FCmp::Uge:
    r = uno || x.foge(y);
    break;
  case FCmp::Ult:
    r = uno || x.folt(y);
    break;
  case FCmp::Ule:
    r = uno || x.fole(y);
    break;
  case FCmp::Une:
    r = uno || !x.foeq(y);
    break;
  }
  return fromTruth(r);
}

Val trunc(const Val &a, unsigned w) {
  if (a.isConst)
    return Val::intConst(a.c, w);
  return Val::intSym(a.e.trunc(w));
}

Val zext(const Val &a, unsigned w) {
  if (a.isConst)
    return Val::intConst(a.c, w);
  return Val::intSym(a.e.zext(w));
}

Val sext(const Val &a, unsigned w) {
  if (a.isConst)
    return Val::intConst(static_cast<uint64_t>(a.sval()), w);
  return Val::intSym(a.e.sext(w));
}

Val fpToSI(const Val &a, unsigned w) {
  if (a.isConst) {
    double t = std::trunc(static_cast<double>(asF(a)));
    double lo = -std::ldexp(1.0, static_cast<int>(w) - 1);
    if (std::isnan(t) || t < lo || t >= -lo)
      return Val::poison();
    return Val::intConst(static_cast<uint64_t>(static_cast<int64_t>(t)), w);
  }
  return Val::intSym(a.e.fpToSBV(w));
}

Val fpToUI(const Val &a, unsigned w) {
  if (a.isConst) {
    double t = std::trunc(static_cast<double>(asF(a)));
    if (std::isnan(t) || t < 0 || t >= std::ldexp(1.0, static_cast<int>(w)))
      return Val::poison();
    return Val::intConst(static_cast<uint64_t>(t), w);
  }
  return Val::intSym(a.e.fpToUBV(w));
}

Val siToFP(const Val &a) {
  if (a.isConst)
    return Val::floatConstF(static_cast<float>(a.sval()));
  return Val::floatSym(Expr::sbvToFP(a.e));
}

Val uiToFP(const Val &a) {
  if (a.isConst)
    return Val::floatConstF(static_cast<float>(a.c));
  return Val::floatSym(Expr::ubvToFP(a.e));
}

Val floatToBits(const Val &a, FloatBits &bits) {
  if (a.isConst)
    return Val::intConst(a.c, 32);
  return Val::intSym(bits.of(a.e));
}

Val bitsToFloat(const Val &a) {
  if (a.isConst)
    return Val::floatConst(static_cast<uint32_t>(a.c));
  return Val::floatSym(Expr::fpFromBits(a.e));
}

Val select(const Val &c, const Val &a, const Val &b) {
  if (c.isConst)
    return c.c ? a : b;
  if (a.isPoison())
    return b;
  if (b.isPoison())
    return a;
  Expr t = truthOf(c);
  if (a.isPtr()) {
    if (a.region != b.region)
      throw CannotDecide(UnknownKind::Unsupported,
                         "select between pointers into different buffers");
    Val off = Val::intSym(Expr::ite(t, a.offset().expr(), b.offset().expr()));
    return Val::ptr(a.region, off);
  }
  if (a.isInt())
    return Val::intSym(Expr::ite(t, a.expr(), b.expr()));
  return Val::floatSym(Expr::ite(t, a.expr(), b.expr()));
}

} // namespace ksynth::verify::ops
