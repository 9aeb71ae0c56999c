// The interval evaluator (IntervalEval.h): a term evaluated bottom-up over
// value sets (FloatSet.cpp) from the known values of its variables.
#include "verify/numerics/IntervalEval.h"

#include "support/Float.h"
#include "verify/core/VarNames.h"
#include "verify/numerics/Rounding.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ksynth::verify {

using smt::Expr;
using Op = smt::Expr::Op;

IntervalEval::IntervalEval(
    std::function<std::optional<uint64_t>(const Expr &)> value)
    : value_(std::move(value)) {}

IVal IntervalEval::eval(const Expr &root) {
  // Iterative post-order (terms of long reductions are deep).
  struct Frame {
    Expr e;
    std::vector<Expr> args;
    bool expanded = false;
  };
  std::vector<Frame> stack;
  auto known = [&](const Expr &e) { return memo_.count(e.id()) != 0; };
  if (known(root))
    return memo_.at(root.id()).second;
  stack.push_back({root, {}, false});
  while (!stack.empty()) {
    Frame &fr = stack.back();
    if (known(fr.e)) {
      stack.pop_back();
      continue;
    }
    if (!fr.expanded) {
      fr.expanded = true;
      Op op = fr.e.op();
      if (op != Op::Var)
        fr.args = fr.e.args();
      std::vector<Expr> todo;
      for (const Expr &a : fr.args)
        if (!known(a))
          todo.push_back(a);
      for (const Expr &a : todo)
        stack.push_back({a, {}, false});
      continue;
    }
    std::vector<IVal> vals;
    vals.reserve(fr.args.size());
    for (const Expr &a : fr.args)
      vals.push_back(memo_.at(a.id()).second);
    IVal v = evalNode(fr.e, vals, fr.args);
    Expr e = fr.e;
    stack.pop_back();
    memo_.emplace(e.id(), std::make_pair(e, v));
  }
  return memo_.at(root.id()).second;
}

IVal IntervalEval::evalNode(const Expr &e, const std::vector<IVal> &a,
                            const std::vector<Expr> &argTerms) {
  auto fpArg = [&](size_t i) {
    return a.at(i).sort == IVal::Sort::FP ? a[i].f : FloatSet::any();
  };
  auto boolOf = [](bool t, bool f) { return IVal::boolean(t, f); };
  switch (e.op()) {
  case Op::True:
    return boolOf(true, false);
  case Op::False:
    return boolOf(false, true);
  case Op::BVNum:
    return IVal::bv(e.asUInt(), e.bvWidth());
  case Op::FPNum: {
    auto b = e.asFPBits();
    if (!b)
      return IVal::top(e);
    return IVal::fp(FloatSet::point(bitsFloat(*b)));
  }
  case Op::Var: {
    std::optional<uint64_t> v = value_(e);
    if (!v || !e.isBV()) {
      if (var::isChoice(e.varName(), Choice::Approx))
        approximated_ = true;
      return IVal::top(e);
    }
    return IVal::bv(*v, e.bvWidth());
  }
  case Op::Not:
    return boolOf(a[0].mayFalse, a[0].mayTrue);
  case Op::And: {
    bool t = true, f = false;
    for (const IVal &x : a) {
      t = t && x.mayTrue;
      f = f || x.mayFalse;
    }
    return boolOf(t, f);
  }
  case Op::Or: {
    bool t = false, f = true;
    for (const IVal &x : a) {
      t = t || x.mayTrue;
      f = f && x.mayFalse;
    }
    return boolOf(t, f);
  }
  case Op::Ite: {
    const IVal &c = a[0];
    if (c.mayTrue && !c.mayFalse)
      return a[1];
    if (c.mayFalse && !c.mayTrue)
      return a[2];
    const IVal &x = a[1], &y = a[2];
    if (x.sort == IVal::Sort::FP && y.sort == IVal::Sort::FP)
      return IVal::fp(x.f.join(y.f));
    if (x.sort == IVal::Sort::Bool && y.sort == IVal::Sort::Bool)
      return boolOf(x.mayTrue || y.mayTrue, x.mayFalse || y.mayFalse);
    if (x.sort == IVal::Sort::BV && y.sort == IVal::Sort::BV)
      return IVal::bv(x.bits && y.bits && *x.bits == *y.bits ? x.bits
                                                             : std::nullopt,
                      x.width);
    return IVal::top(e);
  }
  case Op::Eq: {
    if (a.size() != 2)
      return fallback(e, a, argTerms);
    const IVal &x = a[0], &y = a[1];
    if (x.sort == IVal::Sort::FP && y.sort == IVal::Sort::FP) {
      // SMT-LIB identity: NaN = NaN, +0 != -0.
      bool t = (x.f.nan && y.f.nan) || (x.f.hasNum && y.f.hasNum &&
                                        floatKey(x.f.lo) <= floatKey(y.f.hi) &&
                                        floatKey(y.f.lo) <= floatKey(x.f.hi));
      bool f = !(x.f.single() && y.f.single() &&
                 (x.f.nan ? y.f.nan
                          : !y.f.nan && floatKey(x.f.lo) == floatKey(y.f.lo)));
      return boolOf(t, f);
    }
    if (x.sort == IVal::Sort::BV && y.sort == IVal::Sort::BV) {
      if (x.bits && y.bits)
        return boolOf(*x.bits == *y.bits, *x.bits != *y.bits);
      return boolOf(true, true);
    }
    if (x.sort == IVal::Sort::Bool && y.sort == IVal::Sort::Bool)
      return boolOf((x.mayTrue && y.mayTrue) || (x.mayFalse && y.mayFalse),
                    (x.mayTrue && y.mayFalse) || (x.mayFalse && y.mayTrue));
    return IVal::top(e);
  }
  case Op::FAdd:
    return IVal::fp(setAdd(fpArg(0), fpArg(1)));
  case Op::FSub:
    return IVal::fp(setSub(fpArg(0), fpArg(1)));
  case Op::FMul:
    return IVal::fp(setMul(fpArg(0), fpArg(1)));
  case Op::FDiv:
    return IVal::fp(setDiv(fpArg(0), fpArg(1)));
  case Op::FMA:
    return IVal::fp(setFma(fpArg(0), fpArg(1), fpArg(2)));
  case Op::FSqrt:
    return IVal::fp(setSqrt(fpArg(0)));
  case Op::FNeg:
    return IVal::fp(setNeg(fpArg(0)));
  case Op::FAbs:
    return IVal::fp(setAbs(fpArg(0)));
  case Op::FLt:
  case Op::FLe:
  case Op::FEq: {
    FloatSet x = fpArg(0), y = fpArg(1);
    bool nan = x.nan || y.nan;
    if (!x.hasNum || !y.hasNum)
      return boolOf(false, true);
    // Numeric comparison (-0 == +0).
    double xl = x.lo, xh = x.hi, yl = y.lo, yh = y.hi;
    Op op = e.op();
    bool t, f;
    if (op == Op::FLt) {
      t = xl < yh;
      f = nan || xh >= yl;
    } else if (op == Op::FLe) {
      t = xl <= yh;
      f = nan || xh > yl;
    } else {
      t = xl <= yh && yl <= xh;
      f = nan || !(xl == xh && yl == yh && xl == yl);
    }
    return boolOf(t, f);
  }
  case Op::FIsNaN: {
    FloatSet x = fpArg(0);
    return boolOf(x.nan, x.hasNum);
  }
  case Op::FIsInf: {
    FloatSet x = fpArg(0);
    return boolOf(x.mayBeInf(), x.nan || x.mayBeFinite());
  }
  case Op::FIsZero: {
    FloatSet x = fpArg(0);
    bool z = x.contains(0.0f) || x.contains(-0.0f);
    bool nz = x.nan || (x.hasNum && !(x.lo == 0 && x.hi == 0));
    return boolOf(z, nz);
  }
  case Op::FIsNeg: {
    FloatSet x = fpArg(0);
    bool neg = x.hasNum && floatKey(x.lo) < 0;
    bool nonNeg = x.nan || (x.hasNum && floatKey(x.hi) >= 0);
    return boolOf(neg, nonNeg);
  }
  case Op::FIsSubnormal: {
    FloatSet x = fpArg(0);
    if (!x.hasNum)
      return boolOf(false, true);
    if (x.single()) {
      bool s = std::fpclassify(x.lo) == FP_SUBNORMAL;
      return boolOf(s, !s);
    }
    // Conservative: a non-single set may hold one unless it lies within
    // the normal range on one side of zero.
    bool may = !(x.lo >= FLT_MIN || x.hi <= -FLT_MIN);
    return boolOf(may, true);
  }
  case Op::FromBits: {
    const IVal &b = a.at(0);
    if (b.sort != IVal::Sort::BV || !b.bits)
      return IVal::fp(FloatSet::any());
    return IVal::fp(FloatSet::point(bitsFloat(static_cast<uint32_t>(*b.bits))));
  }
  case Op::ToBits: {
    FloatSet x = fpArg(0);
    if (x.single() && !x.nan)
      return IVal::bv(floatBits(x.lo), 32);
    return IVal::bv(std::nullopt, 32); // NaN: unspecified (callers guard)
  }
  case Op::UF: {
    std::string name = e.ufName();
    if (name == "cl.div" && a.size() == 2) {
      approximated_ = true;
      return IVal::fp(approxDiv(fpArg(0), fpArg(1), 2.5));
    }
    if (a.size() == 1 && e.isFP())
      if (auto r = approxFunction(name, fpArg(0))) {
        approximated_ = true;
        return IVal::fp(*r);
      }
    approximated_ = true;
    return IVal::top(e);
  }
  default:
    return fallback(e, a, argTerms);
  }
}

// Results SMT-LIB leaves unspecified (the solver may pick any value, so
// Z3's rewriter's pick proves nothing): fp.to_sbv/fp.to_ubv of NaN, an
// infinity or an out-of-range value, fp.min/fp.max of +0 and -0.
static bool unspecified(const Expr &e, const std::vector<IVal> &a) {
  std::string name = e.ufName();
  if ((name == "fp.to_sbv" || name == "fp.to_ubv") && e.isBV()) {
    for (const IVal &v : a)
      if (v.sort == IVal::Sort::FP) {
        if (!v.f.single() || v.f.nan || !std::isfinite(v.f.lo))
          return true;
        double t = std::trunc(static_cast<double>(v.f.lo));
        unsigned w = e.bvWidth();
        double lo = name == "fp.to_sbv"
                        ? -std::ldexp(1.0, static_cast<int>(w) - 1)
                        : 0.0;
        double hi = name == "fp.to_sbv"
                        ? std::ldexp(1.0, static_cast<int>(w) - 1) - 1
                        : std::ldexp(1.0, static_cast<int>(w)) - 1;
        if (t < lo || t > hi)
          return true;
      }
    return false;
  }
  if (name == "fp.min" || name == "fp.max") {
    bool pos = false, neg = false;
    for (const IVal &v : a)
      if (v.sort == IVal::Sort::FP && v.f.hasNum) {
        pos = pos || v.f.contains(0.0f);
        neg = neg || v.f.contains(-0.0f);
      }
    return pos && neg;
  }
  return false;
}

// Any other operation (bit-vector arithmetic, conversions): Z3's rewriter
// on the numerals when every operand is known, else any value.
IVal IntervalEval::fallback(const Expr &e, const std::vector<IVal> &a,
                            const std::vector<Expr> &argTerms) {
  if (argTerms.empty() || a.size() != argTerms.size())
    return IVal::top(e);
  if (unspecified(e, a))
    return IVal::top(e);
  std::vector<std::pair<Expr, Expr>> map;
  for (size_t i = 0; i < a.size(); ++i) {
    const IVal &v = a[i];
    if (!v.known())
      return IVal::top(e);
    Expr c;
    switch (v.sort) {
    case IVal::Sort::Bool:
      c = Expr::boolVal(v.mayTrue);
      break;
    case IVal::Sort::BV:
      c = Expr::bvVal(*v.bits, v.width);
      break;
    case IVal::Sort::FP:
      c = v.f.nan ? Expr::fpFromBitsVal(0x7fc00000u)
                  : Expr::fpFromBitsVal(floatBits(v.f.lo));
      break;
    default:
      return IVal::top(e);
    }
    map.emplace_back(argTerms[i], c);
  }
  Expr s = e.substitute(map).simplify();
  if (s.isBool()) {
    if (auto b = s.asBool())
      return IVal::boolean(*b, !*b);
  } else if (s.isBV()) {
    if (auto b = s.asUInt())
      return IVal::bv(*b, s.bvWidth());
  } else if (s.isFP()) {
    if (auto b = s.asFPBits())
      return IVal::fp(FloatSet::point(bitsFloat(*b)));
  }
  return IVal::top(e);
}

} // namespace ksynth::verify
