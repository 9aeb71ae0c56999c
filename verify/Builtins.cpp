// OpenCL C builtins (Itanium-mangled calls in clang's output) and LLVM
// intrinsics. Semantics follow the OpenCL C 1.2 specification; where it
// leaves a result undefined or implementation-defined, the result is an
// arbitrary value (an "nd#" variable), and where it allows inaccuracy, an
// arbitrary value marked as an approximation ("approx#").
#include "verify/ExecutorImpl.h"
#include "verify/Rounding.h"
#include "verify/VarNames.h"

#include "support/Float.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/Instructions.h>

#include <cmath>

namespace ksynth::verify {

using smt::Expr;

namespace {

// Mangled parameter code of the first argument ('f' float, 'i' int, 'j'
// uint, 'l' long, 'm' ulong, 's'/'t' short, 'c'/'h' char, or 'D' vector).
char firstParamCode(const std::string &m, const std::string &base) {
  size_t pos = m.find(base);
  if (pos == std::string::npos)
    return '?';
  pos += base.size();
  if (pos < m.size() && m[pos] == 'D') { // Dv4_f
    size_t u = m.find('_', pos);
    return u + 1 < m.size() ? m[u + 1] : '?';
  }
  return pos < m.size() ? m[pos] : '?';
}

bool isUnsignedCode(char c) {
  return c == 'j' || c == 'm' || c == 't' || c == 'h';
}

Val broadcastTo(const Val &v, size_t lanes) {
  if (v.isVec() || lanes == 0)
    return v;
  return Val::vec(std::vector<Val>(lanes, v));
}

} // namespace

// IEEE minNum/maxNum (OpenCL fmin/fmax): a NaN operand yields the other;
// which of +0/-0 comes back when they tie is implementation-defined.
Val Executor::Impl::minMaxNum(const Val &x, const Val &y, bool isMax) {
  if (x.isPoison() || y.isPoison())
    return Val::poison();
  if (x.isConst && y.isConst) {
    float fx = bitsFloat(static_cast<uint32_t>(x.c)),
          fy = bitsFloat(static_cast<uint32_t>(y.c));
    if (std::isnan(fx))
      return y;
    if (std::isnan(fy))
      return x;
    if (fx != fy)
      return (isMax ? fx > fy : fx < fy) ? x : y;
    if (x.c == y.c)
      return x;
  }
  Expr ex = x.expr(), ey = y.expr();
  Expr nd = Expr::boolVar(var::choice(Choice::Nondet, "", fresh++));
  Expr better = isMax ? ex.fogt(ey) : ex.folt(ey);
  Expr worse = isMax ? ex.folt(ey) : ex.fogt(ey);
  Expr r = Expr::ite(
      ex.isNaN(), ey,
      Expr::ite(
          ey.isNaN(), ex,
          Expr::ite(better, ex, Expr::ite(worse, ey, Expr::ite(nd, ex, ey)))));
  return Val::floatSym(r);
}

bool Executor::Impl::builtin(Path &p, const llvm::CallInst &call,
                             const std::string &mangled, Val &result) {
  std::string name = demangled(mangled);
  std::vector<Val> a;
  for (unsigned i = 0; i < call.arg_size(); ++i)
    a.push_back(get(p, call.getArgOperand(i)));
  const llvm::Type *rt = call.getType();
  size_t lanes = rt->isVectorTy()
                     ? llvm::cast<llvm::FixedVectorType>(rt)->getNumElements()
                     : 0;
  if (extraBuiltin(p, call, mangled, name, a, result)) // BuiltinsExtra.cpp
    return true;

  // ---- work-item functions ----
  auto dimArg = [&]() -> int {
    if (!a[0].isConst)
      throw CannotDecide(UnknownKind::Unsupported,
                         "work-item query with a data-dependent dimension");
    return a[0].c < 3 ? static_cast<int>(a[0].c) : -1;
  };
  auto needLocal = [&](const char *what) {
    if (!geom.hasLocal)
      throw CannotDecide(UnknownKind::Unsupported,
                         std::string(what) +
                             " used but the manifest leaves the work-group "
                             "size to the driver; give \"local\" in " +
                             label);
  };
  if (symGroup && (name == "get_global_id" || name == "get_local_id" ||
                   name == "get_group_id")) {
    if (name != "get_global_id")
      needLocal(name.c_str());
    if (groupIdBuiltin(name, dimArg(), result))
      return true;
  }
  if (name == "get_global_id") {
    int d = dimArg();
    if (symbolic && d >= 0 && !symGid[d].asUInt())
      result = Val::intSym(symGid[d]);
    else
      result = Val::intConst(d < 0 || symbolic ? 0 : ids.gid[d], 64);
    return true;
  }
  if (name == "get_global_size") {
    int d = dimArg();
    result = Val::intConst(d < 0 ? 1 : geom.global[d], 64);
    return true;
  }
  if (name == "get_local_id" || name == "get_group_id" ||
      name == "get_local_size" || name == "get_num_groups" ||
      name == "get_enqueued_local_size") {
    needLocal(name.c_str());
    int d = dimArg();
    uint64_t v = 0;
    if (symbolic && d >= 0 && !symGid[d].asUInt() &&
        (name == "get_local_id" || name == "get_group_id")) {
      // Derived from the arbitrary work-item's global id.
      Expr ls = Expr::bvVal(geom.local[d], 64);
      result = Val::intSym(name == "get_local_id" ? symGid[d].urem(ls)
                                                  : symGid[d].udiv(ls));
      return true;
    }
    if (name == "get_local_id")
      v = d < 0 ? 0 : ids.lid[d];
    else if (name == "get_group_id")
      v = d < 0 ? 0 : ids.grp[d];
    else if (name == "get_num_groups")
      v = d < 0 ? 1 : geom.global[d] / geom.local[d];
    else
      v = d < 0 ? 1 : geom.local[d];
    result = Val::intConst(v, 64);
    return true;
  }
  if (name == "get_global_offset") {
    result = Val::intConst(0, 64);
    return true;
  }
  if (name == "get_work_dim") {
    result = Val::intConst(geom.dims, 32);
    return true;
  }
  if (name == "barrier" || name == "work_group_barrier") {
    if (symbolic && !symGroup)
      throw CannotDecide(UnknownKind::Unsupported,
                         name + " in " + where() +
                             ": the symbolic work-item method needs "
                             "work-items that do not synchronise");
    // The work-group scheduler (WorkGroup.cpp) resumes the path once every
    // work-item of the group has stopped.
    needLocal(name.c_str());
    if (a.empty() || !a[0].isConst)
      throw CannotDecide(UnknownKind::Unsupported,
                         name + " with data-dependent flags in " + where());
    p.barrier = &call;
    p.barrierFlags = a[0].c;
    return true;
  }
  if (name == "mem_fence" || name == "read_mem_fence" ||
      name == "write_mem_fence")
    return true; // orders one work-item's own accesses: it runs in order
  if (name.find("sub_group") != std::string::npos)
    return subGroupBuiltin(p, call, mangled, name, a, result); // SubGroup.cpp
  if (name.find("work_group_") != std::string::npos ||
      name.find("async_work_group") != std::string::npos ||
      name == "wait_group_events")
    throw CannotDecide(UnknownKind::Unsupported,
                       name + ": work-group collectives and async copies are "
                              "not modelled");
  if (name.rfind("atom", 0) == 0 || name.find("atomic") != std::string::npos)
    throw CannotDecide(UnknownKind::Unsupported,
                       name + ": atomics are not modelled");

  // ---- LLVM intrinsics ----
  auto fusedOrNot = [&](const Val &x, const Val &y, const Val &z) {
    if (x.isPoison() || y.isPoison() || z.isPoison())
      return Val::poison();
    if (fma == FmaMode::Fused)
      return ops::fma(x, y, z);
    return ops::fbin(ops::FOp::Add, ops::fbin(ops::FOp::Mul, x, y), z);
  };
  auto lanes3 = [&](auto f) {
    if (lanes == 0)
      return f(a[0], a[1], a[2]);
    std::vector<Val> out;
    Val x = broadcastTo(a[0], lanes), y = broadcastTo(a[1], lanes),
        z = broadcastTo(a[2], lanes);
    for (size_t i = 0; i < lanes; ++i)
      out.push_back(f(x.elems[i], y.elems[i], z.elems[i]));
    return Val::vec(std::move(out));
  };
  auto lanes2 = [&](auto f) {
    if (lanes == 0)
      return f(a[0], a[1]);
    std::vector<Val> out;
    Val x = broadcastTo(a[0], lanes), y = broadcastTo(a[1], lanes);
    for (size_t i = 0; i < lanes; ++i)
      out.push_back(f(x.elems[i], y.elems[i]));
    return Val::vec(std::move(out));
  };
  auto lanes1 = [&](auto f) {
    if (lanes == 0)
      return f(a[0]);
    std::vector<Val> out;
    for (size_t i = 0; i < lanes; ++i)
      out.push_back(f(a[0].elems[i]));
    return Val::vec(std::move(out));
  };
  auto minMaxNumOf = [this](bool isMax) {
    return [this, isMax](const Val &x, const Val &y) {
      return minMaxNum(x, y, isMax);
    };
  };
  // IEEE 754-2019 minimum/maximum (llvm.minimum/maximum): NaN propagates,
  // -0 < +0.
  auto minMaxIEEE = [&](bool isMax) {
    return [isMax](const Val &x, const Val &y) {
      if (x.isPoison() || y.isPoison())
        return Val::poison();
      Expr ex = x.expr(), ey = y.expr();
      Expr pickX = isMax ? (ex.fogt(ey) || (ex.foeq(ey) && !ex.isNegative()))
                         : (ex.folt(ey) || (ex.foeq(ey) && ex.isNegative()));
      return Val::floatSym(Expr::ite(
          ex.isNaN(), ex, Expr::ite(ey.isNaN(), ey, Expr::ite(pickX, ex, ey))));
    };
  };

  if (mangled.rfind("llvm.", 0) == 0) {
    std::string in = mangled.substr(5);
    auto base = in.substr(0, in.find('.'));
    if (base == "fmuladd") {
      result = lanes3(fusedOrNot);
      return true;
    }
    if (base == "fma") {
      result = lanes3([](const Val &x, const Val &y, const Val &z) {
        if (x.isPoison() || y.isPoison() || z.isPoison())
          return Val::poison();
        return ops::fma(x, y, z);
      });
      return true;
    }
    if (base == "fabs") {
      result =
          lanes1([](const Val &x) { return x.isPoison() ? x : ops::fabs(x); });
      return true;
    }
    if (base == "copysign") {
      result = lanes2([&](const Val &x, const Val &y) {
        if (x.isPoison() || y.isPoison())
          return Val::poison();
        Val ax = ops::floatToBits(ops::fabs(x), floatBits);
        Val sy = ops::intBin(ops::IntOp::And, ops::floatToBits(y, floatBits),
                             Val::intConst(0x80000000u, 32));
        return ops::bitsToFloat(ops::intBin(ops::IntOp::Or, ax, sy));
      });
      return true;
    }
    if (base == "minnum" || base == "maxnum") {
      result = lanes2(minMaxNumOf(base == "maxnum"));
      return true;
    }
    if (base == "minimum" || base == "maximum") {
      result = lanes2(minMaxIEEE(base == "maximum"));
      return true;
    }
    if (base == "smin" || base == "smax" || base == "umin" || base == "umax") {
      ops::ICmp pr = base == "smin"   ? ops::ICmp::Slt
                     : base == "smax" ? ops::ICmp::Sgt
                     : base == "umin" ? ops::ICmp::Ult
                                      : ops::ICmp::Ugt;
      result = lanes2([pr](const Val &x, const Val &y) {
        if (x.isPoison() || y.isPoison())
          return Val::poison();
        return ops::select(ops::icmp(pr, x, y), x, y);
      });
      return true;
    }
    if (base == "abs") {
      result = lanes1([](const Val &x) {
        if (x.isPoison())
          return x;
        Val neg = ops::intBin(ops::IntOp::Sub, Val::intConst(0, x.width), x);
        return ops::select(
            ops::icmp(ops::ICmp::Slt, x, Val::intConst(0, x.width)), neg, x);
      });
      return true;
    }
    if (base == "lifetime" || base == "experimental" || base == "dbg")
      return true; // no semantic effect
    if (base == "assume") {
      if (!a[0].isPoison() && !(a[0].isConst && a[0].c))
        log.add({ObligationKind::UndefinedBehaviour,
                 p.pc && !ops::truthOf(a[0]),
                 "llvm.assume violated in " + where(), "", -1});
      return true;
    }
    return false;
  }

  // ---- OpenCL math and common functions ----
  char code = firstParamCode(mangled, name);
  bool floatArgs = code == 'f';
  if (floatArgs && (name == "fmin" || name == "fmax")) {
    result = lanes2(minMaxNumOf(name == "fmax"));
    return true;
  }
  if (floatArgs && (name == "min" || name == "max")) {
    // OpenCL: "If x or y are infinite or NaN, the return values are
    // undefined."
    bool isMax = name == "max";
    result = lanes2([this, isMax](const Val &x, const Val &y) {
      if (x.isPoison() || y.isPoison())
        return Val::poison();
      Expr ex = x.expr(), ey = y.expr();
      Expr undefinedCase = ex.isNaN() || ex.isInf() || ey.isNaN() || ey.isInf();
      // "Returns y if x < y (max) / y < x (min), otherwise x."
      Expr pickY = isMax ? ex.folt(ey) : ey.folt(ex);
      Val any = freshFloat(Choice::Nondet);
      return Val::floatSym(
          Expr::ite(undefinedCase, any.expr(), Expr::ite(pickY, ey, ex)));
    });
    return true;
  }
  if (floatArgs && name == "clamp") {
    // fmin(fmax(x, lo), hi); undefined if lo > hi.
    auto mn = minMaxNumOf(false), mx = minMaxNumOf(true);
    result = lanes3([&, mn, mx](const Val &x, const Val &lo, const Val &hi) {
      if (x.isPoison() || lo.isPoison() || hi.isPoison())
        return Val::poison();
      Val r = mn(mx(x, lo), hi);
      Expr bad = hi.expr().folt(lo.expr());
      if (bad.simplify().isFalse())
        return r;
      return Val::floatSym(
          Expr::ite(bad, freshFloat(Choice::Nondet).expr(), r.expr()));
    });
    return true;
  }
  if (floatArgs && (name == "fabs")) {
    result =
        lanes1([](const Val &x) { return x.isPoison() ? x : ops::fabs(x); });
    return true;
  }
  if (floatArgs && name == "fma") {
    result = lanes3([](const Val &x, const Val &y, const Val &z) {
      if (x.isPoison() || y.isPoison() || z.isPoison())
        return Val::poison();
      return ops::fma(x, y, z);
    });
    return true;
  }
  if (floatArgs && (name == "isnan" || name == "isinf" || name == "isfinite" ||
                    name == "signbit" || name == "isnormal")) {
    // Scalar: int 1/0. Vector: -1/0 per lane.
    bool vec = lanes != 0;
    unsigned w = static_cast<unsigned>(rt->getScalarSizeInBits());
    result = lanes1([&](const Val &x) {
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
        t = ops::floatToBits(x, floatBits)
                .expr()
                .extract(31, 31)
                .eq(Expr::bvVal(1, 1));
      t = t.simplify();
      uint64_t one = vec ? ~uint64_t(0) : 1;
      if (auto b = t.asBool())
        return Val::intConst(*b ? one : 0, w);
      return Val::intSym(Expr::ite(t, Expr::bvVal(one, w), Expr::bvVal(0, w)));
    });
    return true;
  }
  if (name == "select") {
    // select(a, b, c): scalar c != 0 ? b : a; vector: MSB of c[i] ? b : a.
    if (lanes == 0) {
      Val c = a[2];
      Val t = ops::icmp(ops::ICmp::Ne, c, Val::intConst(0, c.width));
      result = ops::select(t, a[1], a[0]);
      return true;
    }
    std::vector<Val> out;
    for (size_t i = 0; i < lanes; ++i) {
      const Val &c = a[2].elems[i];
      if (c.isPoison()) {
        out.push_back(Val::poison());
        continue;
      }
      Val t = ops::icmp(ops::ICmp::Slt, c, Val::intConst(0, c.width));
      out.push_back(ops::select(t, a[1].elems[i], a[0].elems[i]));
    }
    result = Val::vec(std::move(out));
    return true;
  }
  if (!floatArgs && (name == "min" || name == "max" || name == "clamp")) {
    bool u = isUnsignedCode(code);
    auto pick = [u](bool isMax) {
      return [u, isMax](const Val &x, const Val &y) {
        if (x.isPoison() || y.isPoison())
          return Val::poison();
        ops::ICmp pr = isMax ? (u ? ops::ICmp::Ugt : ops::ICmp::Sgt)
                             : (u ? ops::ICmp::Ult : ops::ICmp::Slt);
        return ops::select(ops::icmp(pr, x, y), x, y);
      };
    };
    if (name == "clamp") {
      auto mx = pick(true), mn = pick(false);
      result = lanes3([mx, mn](const Val &x, const Val &lo, const Val &hi) {
        return mn(mx(x, lo), hi);
      });
    } else {
      result = lanes2(pick(name == "max"));
    }
    return true;
  }
  if (name.rfind("vload", 0) == 0 && name.size() > 5 &&
      std::isdigit(static_cast<unsigned char>(name[5]))) {
    // vloadn(offset, p): p[offset*n .. offset*n + n-1], element-aligned.
    unsigned n = static_cast<unsigned>(std::stoul(name.substr(5)));
    const llvm::Type *et = rt->getScalarType();
    uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(et));
    Val off = ops::intBin(ops::IntOp::Mul, a[0], Val::intConst(n * eb, 64));
    Val ptr =
        Val::ptr(a[1].region, ops::intBin(ops::IntOp::Add, a[1].offset(), off));
    result = load(p, ptr, rt, eb);
    return true;
  }
  if (name.rfind("vstore", 0) == 0 && name.size() > 6 &&
      std::isdigit(static_cast<unsigned char>(name[6]))) {
    unsigned n = static_cast<unsigned>(std::stoul(name.substr(6)));
    const llvm::Type *vt = call.getArgOperand(0)->getType();
    const llvm::Type *et = vt->getScalarType();
    uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(et));
    Val off = ops::intBin(ops::IntOp::Mul, a[1], Val::intConst(n * eb, 64));
    Val ptr =
        Val::ptr(a[2].region, ops::intBin(ops::IntOp::Add, a[2].offset(), off));
    store(p, ptr, a[0], vt, eb);
    return true;
  }
  if (name.rfind("convert_", 0) == 0) {
    // convert_<type>[n]: default rounding (float->int toward zero,
    // int->float to nearest-even); out-of-range float->int is
    // implementation-defined. Saturating and explicit-rounding forms are not
    // modelled yet.
    std::string rest = name.substr(8);
    if (rest.find('_') != std::string::npos)
      throw CannotDecide(UnknownKind::Unsupported,
                         name + ": saturating/explicit-rounding conversions "
                                "are not modelled yet");
    bool dstUnsigned = rest[0] == 'u';
    bool srcSigned =
        code == 'i' || code == 'l' || code == 's' || code == 'c' || code == 'a';
    const llvm::Type *dt = rt->getScalarType();
    if (!dt->isFloatTy() && !dt->isIntegerTy())
      return false;
    result = lanes1([&](const Val &x) {
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
          return r.isPoison() ? freshInt(Choice::Nondet, w) : r;
        // Symbolic: in range -> the truncated value, else any value.
        Expr t = x.expr();
        double lo =
            dstUnsigned ? 0.0 : -std::ldexp(1.0, static_cast<int>(w) - 1);
        double hi = dstUnsigned ? std::ldexp(1.0, static_cast<int>(w))
                                : std::ldexp(1.0, static_cast<int>(w) - 1);
        // (Conservative at the low edge: a value truncating onto the
        // minimum counts as out of range.)
        Expr above = dstUnsigned ? t.fogt(Expr::fpVal(-1.0f))
                                 : t.foge(Expr::fpVal(static_cast<float>(lo)));
        Expr inRange =
            !t.isNaN() && above && t.folt(Expr::fpVal(static_cast<float>(hi)));
        return Val::intSym(
            Expr::ite(inRange, r.expr(), freshInt(Choice::Nondet, w).expr()));
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
  // depends on it is an approximation, never a refutation), and known to
  // the rounding level through its ulp bound.
  static const char *bounded[] = {"exp",  "expm1", "log", "log1p",
                                  "tanh", "erf",   "sqrt"};
  for (const char *fn : bounded) {
    if (floatArgs && name == fn) {
      approximations.insert(
          name +
          ": a function of its argument within OpenCL C 1.2's ulp "
          "bound (" +
          std::to_string(static_cast<int>(
              Rounding::ulps(std::string("cl.") + fn).value_or(0))) +
          " ulp), used by the rounding level and by refutations");
      std::string uf = std::string("cl.") + fn;
      result = lanes1([&](const Val &x) {
        return x.isPoison() ? x : Val::floatSym(Expr::uf(uf, {x.expr()}));
      });
      return true;
    }
  }
  // Operations OpenCL allows to be inexact: any value may come back.
  static const char *approx[] = {
      "mad", "native_", "half_", "sqrt",   "rsqrt", "exp",  "log", "pow",
      "sin", "cos",     "tan",   "divide", "recip", "tanh", "erf", "cbrt"};
  for (const char *ap : approx) {
    if (name.rfind(ap, 0) == 0 && floatArgs) {
      approximations.insert(name + ": an arbitrary value (not correctly "
                                   "rounded in OpenCL C; no bound is used)");
      result = freshOf(rt, Choice::Approx);
      return true;
    }
  }
  return false;
}

} // namespace ksynth::verify
