// The handler table's math side (BuiltinCall.h): OpenCL C 1.2 math, common,
// relational and integer functions, select, conversions, vloadn/vstoren,
// and the LLVM intrinsics clang emits for them. Undefined or
// implementation-defined results are arbitrary values (Choice::Nondet);
// results OpenCL allows to be inexact are approximations (Choice::Approx),
// or, for the functions with an ulp bound, a function of the argument
// ("cl.exp") known to the rounding level through that bound.
#include "verify/core/VarNames.h"
#include "verify/exec/BuiltinCall.h"
#include "verify/numerics/Rounding.h"

#include "support/Float.h"

#include <cctype>
#include <cmath>

namespace ksynth::verify {

using smt::Expr;

namespace {

bool isUnsignedCode(char c) {
  return c == 'j' || c == 'm' || c == 't' || c == 'h';
}

auto minMaxNumOf(Executor::Impl &ex, bool isMax) {
  return [&ex, isMax](const Val &x, const Val &y) {
    return ex.minMaxNum(x, y, isMax);
  };
}

Val fmaOf(const Val &x, const Val &y, const Val &z) {
  if (x.isPoison() || y.isPoison() || z.isPoison())
    return Val::poison();
  return ops::fma(x, y, z);
}

Val fabsOf(const Val &x) { return x.isPoison() ? x : ops::fabs(x); }

// ---- LLVM intrinsics ----

bool fmuladd(BuiltinCall &c) {
  FmaMode mode = c.ex.fma;
  c.result = c.lanes3([mode](const Val &x, const Val &y, const Val &z) {
    if (x.isPoison() || y.isPoison() || z.isPoison())
      return Val::poison();
    if (mode == FmaMode::Fused)
      return ops::fma(x, y, z);
    return ops::fbin(ops::FOp::Add, ops::fbin(ops::FOp::Mul, x, y), z);
  });
  return true;
}

bool fmaIntrinsic(BuiltinCall &c) {
  c.result = c.lanes3(fmaOf);
  return true;
}

bool fabsIntrinsic(BuiltinCall &c) {
  c.result = c.lanes1(fabsOf);
  return true;
}

bool copysign(BuiltinCall &c) {
  FloatBits &fb = c.ex.floatBits;
  c.result = c.lanes2([&fb](const Val &x, const Val &y) {
    if (x.isPoison() || y.isPoison())
      return Val::poison();
    Val ax = ops::floatToBits(ops::fabs(x), fb);
    Val sy = ops::intBin(ops::IntOp::And, ops::floatToBits(y, fb),
                         Val::intConst(0x80000000u, 32));
    return ops::bitsToFloat(ops::intBin(ops::IntOp::Or, ax, sy));
  });
  return true;
}

bool minMaxNumIntrinsic(BuiltinCall &c) {
  c.result =
      c.lanes2(minMaxNumOf(c.ex, c.mangled.rfind("llvm.maxnum", 0) == 0));
  return true;
}

// IEEE 754-2019 minimum/maximum (llvm.minimum/maximum): NaN propagates,
// -0 < +0.
bool minMaxIEEE(BuiltinCall &c) {
  bool isMax = c.mangled.rfind("llvm.maximum", 0) == 0;
  c.result = c.lanes2([isMax](const Val &x, const Val &y) {
    if (x.isPoison() || y.isPoison())
      return Val::poison();
    Expr ex = x.expr(), ey = y.expr();
    Expr pickX = isMax ? (ex.fogt(ey) || (ex.foeq(ey) && !ex.isNegative()))
                       : (ex.folt(ey) || (ex.foeq(ey) && ex.isNegative()));
    return Val::floatSym(Expr::ite(
        ex.isNaN(), ex, Expr::ite(ey.isNaN(), ey, Expr::ite(pickX, ex, ey))));
  });
  return true;
}

bool intMinMaxIntrinsic(BuiltinCall &c) {
  std::string base = c.mangled.substr(5, 4); // smin, smax, umin, umax
  ops::ICmp pr = base == "smin"   ? ops::ICmp::Slt
                 : base == "smax" ? ops::ICmp::Sgt
                 : base == "umin" ? ops::ICmp::Ult
                                  : ops::ICmp::Ugt;
  c.result = c.lanes2([pr](const Val &x, const Val &y) {
    if (x.isPoison() || y.isPoison())
      return Val::poison();
    return ops::select(ops::icmp(pr, x, y), x, y);
  });
  return true;
}

bool absIntrinsic(BuiltinCall &c) {
  c.result = c.lanes1([](const Val &x) {
    if (x.isPoison())
      return x;
    Val neg = ops::intBin(ops::IntOp::Sub, Val::intConst(0, x.width), x);
    return ops::select(ops::icmp(ops::ICmp::Slt, x, Val::intConst(0, x.width)),
                       neg, x);
  });
  return true;
}

bool noEffect(BuiltinCall &) { return true; } // lifetime, dbg, ...

bool assume(BuiltinCall &c) {
  const Val &a0 = c.a[0];
  if (!a0.isPoison() && !(a0.isConst && a0.c))
    c.ex.note({ObligationKind::UndefinedBehaviour, c.p.pc && !ops::truthOf(a0),
               "llvm.assume violated in " + c.ex.where(), "", -1});
  return true;
}

// ---- OpenCL math and common functions ----

bool fminFmax(BuiltinCall &c) {
  if (!c.floatArgs)
    return false;
  c.result = c.lanes2(minMaxNumOf(c.ex, c.name == "fmax"));
  return true;
}

bool intMinMaxClamp(BuiltinCall &c) {
  bool u = isUnsignedCode(c.code);
  auto pick = [u](bool isMax) {
    return [u, isMax](const Val &x, const Val &y) {
      if (x.isPoison() || y.isPoison())
        return Val::poison();
      ops::ICmp pr = isMax ? (u ? ops::ICmp::Ugt : ops::ICmp::Sgt)
                           : (u ? ops::ICmp::Ult : ops::ICmp::Slt);
      return ops::select(ops::icmp(pr, x, y), x, y);
    };
  };
  if (c.name == "clamp") {
    auto mx = pick(true), mn = pick(false);
    c.result = c.lanes3([mx, mn](const Val &x, const Val &lo, const Val &hi) {
      return mn(mx(x, lo), hi);
    });
  } else {
    c.result = c.lanes2(pick(c.name == "max"));
  }
  return true;
}

bool minMax(BuiltinCall &c) {
  if (!c.floatArgs)
    return intMinMaxClamp(c);
  // OpenCL: "If x or y are infinite or NaN, the return values are
  // undefined."
  bool isMax = c.name == "max";
  Executor::Impl &ex = c.ex;
  c.result = c.lanes2([&ex, isMax](const Val &x, const Val &y) {
    if (x.isPoison() || y.isPoison())
      return Val::poison();
    Expr ex0 = x.expr(), ey = y.expr();
    Expr undefinedCase = ex0.isNaN() || ex0.isInf() || ey.isNaN() || ey.isInf();
    // "Returns y if x < y (max) / y < x (min), otherwise x."
    Expr pickY = isMax ? ex0.folt(ey) : ey.folt(ex0);
    Val any = ex.freshFloat(Choice::Nondet);
    return Val::floatSym(
        Expr::ite(undefinedCase, any.expr(), Expr::ite(pickY, ey, ex0)));
  });
  return true;
}

bool clamp(BuiltinCall &c) {
  if (!c.floatArgs)
    return intMinMaxClamp(c);
  // fmin(fmax(x, lo), hi); undefined if lo > hi.
  Executor::Impl &ex = c.ex;
  auto mn = minMaxNumOf(ex, false), mx = minMaxNumOf(ex, true);
  c.result =
      c.lanes3([&ex, mn, mx](const Val &x, const Val &lo, const Val &hi) {
        if (x.isPoison() || lo.isPoison() || hi.isPoison())
          return Val::poison();
        Val r = mn(mx(x, lo), hi);
        Expr bad = hi.expr().folt(lo.expr());
        if (bad.simplify().isFalse())
          return r;
        return Val::floatSym(
            Expr::ite(bad, ex.freshFloat(Choice::Nondet).expr(), r.expr()));
      });
  return true;
}

bool fabsBuiltin(BuiltinCall &c) {
  if (!c.floatArgs)
    return false;
  c.result = c.lanes1(fabsOf);
  return true;
}

bool fmaBuiltin(BuiltinCall &c) {
  if (!c.floatArgs)
    return false;
  c.result = c.lanes3(fmaOf);
  return true;
}

// isnan, isinf, isfinite, isnormal, signbit. Scalar: int 1/0; vector: -1/0
// per lane.
bool classify(BuiltinCall &c) {
  if (!c.floatArgs)
    return false;
  bool vec = c.lanes != 0;
  unsigned w = static_cast<unsigned>(c.rt->getScalarSizeInBits());
  const std::string &name = c.name;
  FloatBits &fb = c.ex.floatBits;
  c.result = c.lanes1([&](const Val &x) {
    if (x.isPoison())
      return x;
    Expr e = x.expr(), t;
    if (name == "isnan")
      t = e.isNaN();
    else if (name == "isinf")
      t = e.isInf();
    else if (name == "isfinite")
      t = !e.isNaN() && !e.isInf();
    else if (name == "isnormal")
      t = !e.isNaN() && !e.isInf() && !e.isZero() && !e.isSubnormal();
    else // signbit: the sign bit of the encoding (NaNs included)
      t = ops::floatToBits(x, fb).expr().extract(31, 31).eq(Expr::bvVal(1, 1));
    t = t.simplify();
    uint64_t one = vec ? ~uint64_t(0) : 1;
    if (auto b = t.asBool())
      return Val::intConst(*b ? one : 0, w);
    return Val::intSym(Expr::ite(t, Expr::bvVal(one, w), Expr::bvVal(0, w)));
  });
  return true;
}

// select(a, b, c): scalar c != 0 ? b : a; vector: MSB of c[i] ? b : a.
bool selectBuiltin(BuiltinCall &c) {
  const std::vector<Val> &a = c.a;
  if (c.lanes == 0) {
    Val t = ops::icmp(ops::ICmp::Ne, a[2], Val::intConst(0, a[2].width));
    c.result = ops::select(t, a[1], a[0]);
    return true;
  }
  std::vector<Val> out;
  for (size_t i = 0; i < c.lanes; ++i) {
    const Val &m = a[2].elems[i];
    if (m.isPoison()) {
      out.push_back(Val::poison());
      continue;
    }
    Val t = ops::icmp(ops::ICmp::Slt, m, Val::intConst(0, m.width));
    out.push_back(ops::select(t, a[1].elems[i], a[0].elems[i]));
  }
  c.result = Val::vec(std::move(out));
  return true;
}

// vloadn(offset, p): p[offset*n .. offset*n + n-1], element-aligned.
bool vloadN(BuiltinCall &c) {
  const std::string &name = c.name;
  if (name.size() <= 5 || !std::isdigit(static_cast<unsigned char>(name[5])))
    return false;
  unsigned n = static_cast<unsigned>(std::stoul(name.substr(5)));
  const llvm::Type *et = c.rt->getScalarType();
  uint64_t eb = c.ex.dl.getTypeStoreSize(const_cast<llvm::Type *>(et));
  Val off = ops::intBin(ops::IntOp::Mul, c.a[0], Val::intConst(n * eb, 64));
  Val ptr = Val::ptr(c.a[1].region,
                     ops::intBin(ops::IntOp::Add, c.a[1].offset(), off));
  c.result = c.ex.load(c.p, ptr, c.rt, eb);
  return true;
}

// vstoren(data, offset, p).
bool vstoreN(BuiltinCall &c) {
  const std::string &name = c.name;
  if (name.size() <= 6 || !std::isdigit(static_cast<unsigned char>(name[6])))
    return false;
  unsigned n = static_cast<unsigned>(std::stoul(name.substr(6)));
  const llvm::Type *vt = c.call.getArgOperand(0)->getType();
  const llvm::Type *et = vt->getScalarType();
  uint64_t eb = c.ex.dl.getTypeStoreSize(const_cast<llvm::Type *>(et));
  Val off = ops::intBin(ops::IntOp::Mul, c.a[1], Val::intConst(n * eb, 64));
  Val ptr = Val::ptr(c.a[2].region,
                     ops::intBin(ops::IntOp::Add, c.a[2].offset(), off));
  c.ex.store(c.p, ptr, c.a[0], vt, eb);
  return true;
}

// convert_<type>[n]: default rounding (float->int toward zero, int->float
// to nearest-even); out-of-range float->int is implementation-defined. The
// saturating and explicit-rounding forms are BuiltinsExtra.cpp's.
bool convert(BuiltinCall &c) {
  std::string rest = c.name.substr(8);
  if (rest.find('_') != std::string::npos)
    throw CannotDecide(UnknownKind::Unsupported,
                       c.name + ": saturating/explicit-rounding conversions "
                                "are not modelled yet");
  bool dstUnsigned = rest[0] == 'u';
  char code = c.code;
  bool srcSigned =
      code == 'i' || code == 'l' || code == 's' || code == 'c' || code == 'a';
  const llvm::Type *dt = c.rt->getScalarType();
  if (!dt->isFloatTy() && !dt->isIntegerTy())
    return false;
  Executor::Impl &ex = c.ex;
  c.result = c.lanes1([&](const Val &x) {
    if (x.isPoison())
      return x;
    if (dt->isFloatTy()) {
      if (x.isFloat())
        return x;
      return srcSigned ? ops::siToFP(x) : ops::uiToFP(x);
    }
    unsigned w = dt->getIntegerBitWidth();
    if (x.isFloat()) {
      Val r = dstUnsigned ? ops::fpToUI(x, w) : ops::fpToSI(x, w);
      if (x.isConst)
        return r.isPoison() ? ex.freshInt(Choice::Nondet, w) : r;
      // Symbolic: in range -> the truncated value, else any value.
      Expr t = x.expr();
      double lo = dstUnsigned ? 0.0 : -std::ldexp(1.0, static_cast<int>(w) - 1);
      double hi = dstUnsigned ? std::ldexp(1.0, static_cast<int>(w))
                              : std::ldexp(1.0, static_cast<int>(w) - 1);
      // (Conservative at the low edge: a value truncating onto the minimum
      // counts as out of range.)
      Expr above = dstUnsigned ? t.fogt(Expr::fpVal(-1.0f))
                               : t.foge(Expr::fpVal(static_cast<float>(lo)));
      Expr inRange =
          !t.isNaN() && above && t.folt(Expr::fpVal(static_cast<float>(hi)));
      return Val::intSym(
          Expr::ite(inRange, r.expr(), ex.freshInt(Choice::Nondet, w).expr()));
    }
    if (x.width == w)
      return x;
    if (x.width > w)
      return ops::trunc(x, w);
    return srcSigned ? ops::sext(x, w) : ops::zext(x, w);
  });
  return true;
}

// Transcendentals with an ulp bound in OpenCL C 1.2: a function of the
// argument ("cl.exp"), unconstrained bit for bit (so a difference that
// depends on it is an approximation, never a refutation), and known to the
// rounding level through its ulp bound.
bool ulpBounded(BuiltinCall &c) {
  if (!c.floatArgs)
    return false;
  std::string uf = "cl." + c.name;
  c.ex.approximations.insert(
      c.name +
      ": a function of its argument within OpenCL C 1.2's ulp bound (" +
      std::to_string(static_cast<int>(Rounding::ulps(uf).value_or(0))) +
      " ulp), used by the rounding level and by refutations");
  c.result = c.lanes1([&](const Val &x) {
    return x.isPoison() ? x : Val::floatSym(Expr::uf(uf, {x.expr()}));
  });
  return true;
}

// Operations OpenCL allows to be inexact: any value may come back.
bool inexact(BuiltinCall &c) {
  if (!c.floatArgs)
    return false;
  c.ex.approximations.insert(c.name + ": an arbitrary value (not correctly "
                                      "rounded in OpenCL C; no bound is used)");
  c.result = c.ex.freshOf(c.rt, Choice::Approx);
  return true;
}

} // namespace

void addMathBuiltins(BuiltinTable &t) {
  t.intrinsics.insert({{"fmuladd", fmuladd},
                       {"fma", fmaIntrinsic},
                       {"fabs", fabsIntrinsic},
                       {"copysign", copysign},
                       {"minnum", minMaxNumIntrinsic},
                       {"maxnum", minMaxNumIntrinsic},
                       {"minimum", minMaxIEEE},
                       {"maximum", minMaxIEEE},
                       {"smin", intMinMaxIntrinsic},
                       {"smax", intMinMaxIntrinsic},
                       {"umin", intMinMaxIntrinsic},
                       {"umax", intMinMaxIntrinsic},
                       {"abs", absIntrinsic},
                       {"lifetime", noEffect},
                       {"experimental", noEffect},
                       {"dbg", noEffect},
                       {"assume", assume}});
  t.exact.insert({{"fmin", fminFmax},
                  {"fmax", fminFmax},
                  {"min", minMax},
                  {"max", minMax},
                  {"clamp", clamp},
                  {"fabs", fabsBuiltin},
                  {"fma", fmaBuiltin},
                  {"isnan", classify},
                  {"isinf", classify},
                  {"isfinite", classify},
                  {"isnormal", classify},
                  {"signbit", classify},
                  {"select", selectBuiltin}});
  for (const char *fn : {"exp", "expm1", "log", "log1p", "tanh", "erf", "sqrt"})
    t.exact.insert({fn, ulpBounded});
  t.prefixed.insert(
      t.prefixed.end(),
      {{"vload", vloadN}, {"vstore", vstoreN}, {"convert_", convert}});
  for (const char *ap :
       {"mad", "native_", "half_", "sqrt", "rsqrt", "exp", "log", "pow", "sin",
        "cos", "tan", "divide", "recip", "tanh", "erf", "cbrt"})
    t.prefixed.push_back({ap, inexact});
}

} // namespace ksynth::verify
