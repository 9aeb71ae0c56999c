// OpenCL C builtins beyond Builtins.cpp's core, modelled exactly (OpenCL C
// 1.2, section 6.2.3 and 6.12): mul24/mad24 (implementation-defined, "nd#",
// where an operand does not fit in 24 bits), saturating and explicit-
// rounding conversions convert_<type>[n][_sat][_rte|_rtz|_rtp|_rtn], the
// half loads and stores vload_half[n]/vstore_half[n][_r*] (and vloada/
// vstorea), convert_half/convert_float on half values (16-bit integers
// holding binary16 bits, see BuildOptionsExec.cpp), and two build options:
// sqrt is IEEE under -cl-fp32-correctly-rounded-divide-sqrt, llvm.fmuladd
// is an approximation under -cl-mad-enable.
#include "verify/core/VarNames.h"
#include "verify/exec/ExecutorImpl.h"

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/Instructions.h>

#include <cmath>

namespace ksynth::verify {

using smt::Expr;

namespace {

// The first parameter's scalar code after the builtin's name: 'f', 'i',
// ..., 'H' for half ("Dh"), '?' if unknown; `vec` set for a vector.
char paramCode(const std::string &m, const std::string &name) {
  size_t pos = m.find(name);
  if (pos == std::string::npos)
    return '?';
  pos += name.size();
  if (m.compare(pos, 2, "Dh") == 0)
    return 'H';
  if (m.compare(pos, 2, "Dv") == 0) {
    size_t u = m.find('_', pos);
    if (u == std::string::npos || u + 1 >= m.size())
      return '?';
    if (m.compare(u + 1, 2, "Dh") == 0)
      return 'H';
    return m[u + 1];
  }
  return pos < m.size() ? m[pos] : '?';
}

bool signedCode(char c) {
  return c == 'c' || c == 'a' || c == 's' || c == 'i' || c == 'l';
}
bool unsignedCode(char c) {
  return c == 'h' || c == 't' || c == 'j' || c == 'm';
}

// An integer result, constant when the term folds to a numeral.
Val intOf(const Expr &e) {
  Expr s = e.simplify();
  if (auto v = s.asUInt())
    return Val::intConst(*v, s.bvWidth());
  return Val::intSym(s);
}

Val floatOf(const Expr &e) {
  Expr s = e.simplify();
  if (auto b = s.asFPBits(); b && !s.isNaN().simplify().isTrue())
    return Val::floatConst(*b);
  return Val::floatSym(s);
}

Expr::RoundMode modeOf(const std::string &suffix, Expr::RoundMode dflt) {
  if (suffix == "rte")
    return Expr::RoundMode::NearestEven;
  if (suffix == "rtz")
    return Expr::RoundMode::TowardZero;
  if (suffix == "rtp")
    return Expr::RoundMode::Up;
  if (suffix == "rtn")
    return Expr::RoundMode::Down;
  return dflt;
}

struct ConvertName {
  std::string type; // "int", "uchar", "float", "half", ...
  bool sat = false;
  std::string round; // "", "rte", "rtz", "rtp", "rtn"
  bool ok = false;
};

// convert_<type>[n][_sat][_rte|_rtz|_rtp|_rtn]
ConvertName parseConvert(const std::string &name) {
  ConvertName c;
  std::string rest = name.substr(8);
  size_t i = 0;
  while (i < rest.size() && std::isalpha(static_cast<unsigned char>(rest[i])))
    ++i;
  c.type = rest.substr(0, i);
  while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])))
    ++i;
  rest = rest.substr(i);
  if (rest.rfind("_sat", 0) == 0) {
    c.sat = true;
    rest = rest.substr(4);
  }
  if (rest.size() == 4 && rest[0] == '_') {
    c.round = rest.substr(1);
    rest.clear();
  }
  c.ok = rest.empty() &&
         (c.round.empty() || c.round == "rte" || c.round == "rtz" ||
          c.round == "rtp" || c.round == "rtn");
  return c;
}

// Integer width and signedness of an OpenCL type name (0 if not integer).
unsigned intWidthOf(const std::string &t, bool &isSigned) {
  std::string b = t;
  isSigned = true;
  if (!b.empty() && b[0] == 'u') {
    isSigned = false;
    b = b.substr(1);
  }
  if (b == "char")
    return 8;
  if (b == "short")
    return 16;
  if (b == "int")
    return 32;
  if (b == "long")
    return 64;
  return 0;
}

Expr bv(uint64_t v, unsigned w) { return Expr::bvVal(v, w); }

// Integer -> integer, saturating when `sat` (OpenCL 6.2.3.3).
Expr convertInt(const Expr &x, bool srcSigned, unsigned dw, bool dstSigned,
                bool sat) {
  unsigned sw = x.bvWidth();
  auto resize = [&](const Expr &v) {
    if (dw == sw)
      return v;
    if (dw < sw)
      return v.trunc(dw);
    return srcSigned ? v.sext(dw) : v.zext(dw);
  };
  if (!sat)
    return resize(x);
  uint64_t dmaxU = dw == 64 ? ~uint64_t(0) : (uint64_t(1) << dw) - 1;
  uint64_t dmaxS = (uint64_t(1) << (dw - 1)) - 1;
  uint64_t dminS = uint64_t(1) << (dw - 1); // as dw-bit pattern
  Expr r = resize(x);
  if (srcSigned && dstSigned) {
    if (dw >= sw)
      return r;
    Expr lo = bv(static_cast<uint64_t>(-static_cast<int64_t>(dmaxS) - 1), sw);
    Expr hi = bv(dmaxS, sw);
    return Expr::ite(x.slt(lo), bv(dminS, dw),
                     Expr::ite(hi.slt(x), bv(dmaxS, dw), r));
  }
  if (srcSigned && !dstSigned) {
    Expr neg = x.slt(bv(0, sw));
    if (dw >= sw)
      return Expr::ite(neg, bv(0, dw), x.zext(dw == sw ? sw : dw).trunc(dw));
    return Expr::ite(neg, bv(0, dw),
                     Expr::ite(bv(dmaxU, sw).slt(x), bv(dmaxU, dw), r));
  }
  if (!srcSigned && dstSigned) {
    if (dw > sw)
      return r;
    return Expr::ite(bv(dmaxS, sw).ult(x), bv(dmaxS, dw), r);
  }
  if (dw >= sw)
    return r;
  return Expr::ite(bv(dmaxU, sw).ult(x), bv(dmaxU, dw), r);
}

} // namespace

bool Executor::Impl::extraBuiltin(Path &p, const llvm::CallInst &call,
                                  const std::string &mangled,
                                  const std::string &name,
                                  const std::vector<Val> &a, Val &result) {
  const llvm::Type *rt = call.getType();
  auto each = [&](const Val &v, auto f) {
    if (!v.isVec())
      return v.isPoison() ? v : f(v);
    std::vector<Val> out;
    for (const Val &x : v.elems)
      out.push_back(x.isPoison() ? x : f(x));
    return Val::vec(std::move(out));
  };
  auto lanesOf = [](const Val &v) { return v.isVec() ? v.elems.size() : 1; };
  auto lane = [](const Val &v, size_t i) { return v.isVec() ? v.elems[i] : v; };

  // ---- build options ----
  if (build.madEnable && mangled.rfind("llvm.fmuladd", 0) == 0) {
    std::string loc = sourceLoc(call);
    approximations.insert("a*b+c under -cl-mad-enable" +
                          (loc.empty() ? "" : " at " + loc) +
                          ": an arbitrary value (mad may compute with "
                          "reduced accuracy; no bound is used)");
    size_t n = lanesOf(a[0]);
    std::vector<Val> out;
    for (size_t i = 0; i < n; ++i) {
      bool poison = lane(a[0], i).isPoison() || lane(a[1], i).isPoison() ||
                    lane(a[2], i).isPoison();
      out.push_back(poison ? Val::poison() : freshFloat(Choice::Approx));
    }
    result = a[0].isVec() ? Val::vec(std::move(out)) : out[0];
    return true;
  }
  char code = paramCode(mangled, name);
  if (build.correctDivSqrt && name == "sqrt" && code == 'f') {
    // Unsimplified, the reference's own term (SymbolicReference.h's sqrt).
    result = each(a[0], [](const Val &x) {
      return x.isConst ? floatOf(x.expr().fsqrt())
                       : Val::floatSym(x.expr().fsqrt());
    });
    return true;
  }

  // ---- mul24, mad24: defined where the operands fit in 24 bits ----
  if ((name == "mul24" || name == "mad24") && (code == 'i' || code == 'j')) {
    bool u = code == 'j';
    size_t n = lanesOf(a[0]);
    std::vector<Val> out;
    for (size_t i = 0; i < n; ++i) {
      Val x = lane(a[0], i), y = lane(a[1], i);
      Val z = name == "mad24" ? lane(a[2], i) : Val::intConst(0, 32);
      if (x.isPoison() || y.isPoison() || z.isPoison()) {
        out.push_back(Val::poison());
        continue;
      }
      Expr ex = x.expr(), ey = y.expr();
      auto fits = [&](const Expr &v) {
        return u ? v.ult(bv(1u << 24, 32))
                 : bv(static_cast<uint32_t>(-(1 << 23)), 32).sle(v) &&
                       v.slt(bv(1u << 23, 32));
      };
      Expr ok = (fits(ex) && fits(ey)).simplify();
      Expr r = ex.mul(ey).add(z.expr());
      if (ok.isTrue()) {
        out.push_back(intOf(r));
        continue;
      }
      Val any = freshInt(Choice::Nondet, 32);
      out.push_back(intOf(Expr::ite(ok, r, any.expr())));
    }
    result = a[0].isVec() ? Val::vec(std::move(out)) : out[0];
    return true;
  }

  // ---- conversions with _sat / rounding suffixes, and half ----
  if (name.rfind("convert_", 0) == 0) {
    ConvertName cv = parseConvert(name);
    bool halfInvolved = cv.type == "half" || code == 'H';
    if (!cv.ok || (!cv.sat && cv.round.empty() && !halfInvolved))
      return false; // plain conversions: Builtins.cpp
    bool dstSigned = true;
    unsigned dw = intWidthOf(cv.type, dstSigned);
    bool srcFloat = code == 'f', srcHalf = code == 'H';
    bool srcInt = signedCode(code) || unsignedCode(code);
    if (!srcFloat && !srcHalf && !srcInt)
      return false;
    Expr::RoundMode mode = modeOf(cv.round, dw ? Expr::RoundMode::TowardZero
                                               : Expr::RoundMode::NearestEven);
    auto toFloat = [&](const Val &x) -> Expr {
      if (srcHalf)
        return Expr::halfBitsToFP(x.expr());
      return x.expr();
    };
    if (dw && (srcFloat || srcHalf)) {
      // float -> integer: round in the mode, then saturate or (plain) any
      // value out of range.
      result = each(a[0], [&](const Val &x) {
        Expr f = toFloat(x);
        Expr r = f.fpRoundIntegral(mode);
        double lo = dstSigned ? -std::ldexp(1.0, static_cast<int>(dw) - 1) : 0;
        double hi = std::ldexp(1.0, static_cast<int>(dstSigned ? dw - 1 : dw));
        Expr flo = Expr::fpVal(static_cast<float>(lo));
        Expr fhi = Expr::fpVal(static_cast<float>(hi));
        Expr conv = dstSigned ? r.fpToSBV(dw) : r.fpToUBV(dw);
        if (cv.sat) {
          uint64_t maxv = dstSigned  ? (uint64_t(1) << (dw - 1)) - 1
                          : dw == 64 ? ~uint64_t(0)
                                     : (uint64_t(1) << dw) - 1;
          uint64_t minv = dstSigned ? uint64_t(1) << (dw - 1) : 0;
          return intOf(
              Expr::ite(f.isNaN(), bv(0, dw),
                        Expr::ite(r.fole(flo), bv(minv, dw),
                                  Expr::ite(r.foge(fhi), bv(maxv, dw), conv))));
        }
        Expr inRange = !f.isNaN() && r.foge(flo) && r.folt(fhi);
        if (inRange.simplify().isTrue())
          return intOf(conv);
        return intOf(
            Expr::ite(inRange, conv, freshInt(Choice::Nondet, dw).expr()));
      });
      return true;
    }
    if (dw && srcInt) {
      result = each(a[0], [&](const Val &x) {
        return intOf(
            convertInt(x.expr(), signedCode(code), dw, dstSigned, cv.sat));
      });
      return true;
    }
    if (cv.type == "float" && (srcFloat || srcHalf)) {
      result = each(a[0], [&](const Val &x) { return floatOf(toFloat(x)); });
      return true;
    }
    if (cv.type == "float" && srcInt && cv.round.empty()) {
      result = each(a[0], [&](const Val &x) {
        return signedCode(code) ? ops::siToFP(x) : ops::uiToFP(x);
      });
      return true;
    }
    if (cv.type == "half" && (srcFloat || srcHalf)) {
      Expr::RoundMode hm = modeOf(cv.round, Expr::RoundMode::NearestEven);
      result = each(a[0], [&](const Val &x) {
        if (srcHalf)
          return x;
        Expr f = x.expr();
        Expr any = freshInt(Choice::Nondet, 16).expr();
        Expr nan = any.band(bv(0x81ff, 16)).bor(bv(0x7e00, 16)); // a quiet NaN
        return intOf(Expr::ite(f.isNaN(), nan, f.fpToHalfBits(hm)));
      });
      return true;
    }
    return false; // e.g. int -> float with an explicit rounding mode
  }

  // ---- half loads and stores: vload_half[n], vstore_half[n][_r*] ----
  bool vl =
      name.rfind("vload_half", 0) == 0 || name.rfind("vloada_half", 0) == 0;
  bool vs =
      name.rfind("vstore_half", 0) == 0 || name.rfind("vstorea_half", 0) == 0;
  if (vl || vs) {
    bool aligned =
        name.rfind("vloada", 0) == 0 || name.rfind("vstorea", 0) == 0;
    std::string rest = name.substr(aligned ? 11 : 10);
    if (vs)
      rest = name.substr(aligned ? 12 : 11);
    unsigned n = 1;
    size_t i = 0;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])))
      ++i;
    if (i)
      n = static_cast<unsigned>(std::stoul(rest.substr(0, i)));
    std::string suffix = rest.substr(i);
    if (!suffix.empty() && suffix[0] == '_')
      suffix = suffix.substr(1);
    if ((vl && !suffix.empty()) ||
        (vs && !suffix.empty() && suffix != "rte" && suffix != "rtz" &&
         suffix != "rtp" && suffix != "rtn"))
      return false;
    // vloada_half3/vstorea_half3 step by 4 halves, otherwise n.
    unsigned stride = aligned && n == 3 ? 4 : n;
    uint64_t align = aligned ? 2 * stride : 2;
    llvm::LLVMContext &lc = call.getContext();
    llvm::Type *i16 = llvm::Type::getInt16Ty(lc);
    llvm::Type *t =
        n == 1 ? i16
               : static_cast<llvm::Type *>(llvm::FixedVectorType::get(i16, n));
    const Val &off = vl ? a[0] : a[1];
    const Val &ptr = vl ? a[1] : a[2];
    if (off.isPoison() || ptr.isPoison() || !ptr.isPtr()) {
      if (vl)
        result = freshOf(rt, Choice::Nondet);
      return true;
    }
    Val byteOff = ops::intBin(ops::IntOp::Mul, off,
                              Val::intConst(2 * uint64_t(stride), 64));
    Val at = Val::ptr(ptr.region,
                      ops::intBin(ops::IntOp::Add, ptr.offset(), byteOff));
    if (vl) {
      Val bits = load(p, at, t, align);
      result = each(bits, [](const Val &h) {
        return floatOf(Expr::halfBitsToFP(h.expr()));
      });
      return true;
    }
    Expr::RoundMode hm = modeOf(suffix, Expr::RoundMode::NearestEven);
    Val bits = each(a[0], [&](const Val &x) {
      Expr f = x.expr();
      Expr any = freshInt(Choice::Nondet, 16).expr();
      Expr nan = any.band(bv(0x81ff, 16)).bor(bv(0x7e00, 16));
      return intOf(Expr::ite(f.isNaN(), nan, f.fpToHalfBits(hm)));
    });
    store(p, at, bits, t, align);
    return true;
  }
  return false;
}

} // namespace ksynth::verify
