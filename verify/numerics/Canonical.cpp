// Canonical order of commutative operands: see Canonical.h.
#include "verify/numerics/Canonical.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

namespace {

class Canon {
public:
  Expr run(const Expr &e) {
    auto it = memo_.find(e.id());
    if (it != memo_.end())
      return it->second;
    Expr r = build(e);
    memo_.emplace(e.id(), r);
    return r;
  }

private:
  std::unordered_map<unsigned, Expr> memo_;

  std::vector<Expr> kids(const Expr &e) {
    std::vector<Expr> a = e.args();
    for (Expr &x : a)
      x = run(x);
    return a;
  }
  static void sortById(std::vector<Expr> &a, size_t from, size_t to) {
    std::sort(a.begin() + static_cast<long>(from),
              a.begin() + static_cast<long>(to),
              [](const Expr &x, const Expr &y) { return x.id() < y.id(); });
  }

  Expr build(const Expr &e) {
    switch (e.op()) {
    case Op::FAdd:
    case Op::FMul:
    case Op::FEq:
    case Op::Eq: {
      std::vector<Expr> a = kids(e);
      if (a.size() != 2)
        return e;
      sortById(a, 0, 2);
      switch (e.op()) {
      case Op::FAdd:
        return a[0].fadd(a[1]);
      case Op::FMul:
        return a[0].fmul(a[1]);
      case Op::FEq:
        return a[0].foeq(a[1]);
      default:
        return a[0].eq(a[1]);
      }
    }
    case Op::FMA: { // a*b + c: the factors commute
      std::vector<Expr> a = kids(e);
      if (a.size() != 3)
        return e;
      sortById(a, 0, 2);
      return a[0].fma(a[1], a[2]);
    }
    case Op::And:
    case Op::Or: {
      std::vector<Expr> a = kids(e);
      sortById(a, 0, a.size());
      return e.op() == Op::And ? Expr::andAll(a) : Expr::orAll(a);
    }
    case Op::Not: {
      std::vector<Expr> a = kids(e);
      return a.size() == 1 ? !a[0] : e;
    }
    case Op::Ite: { // ite(!c, x, y) is ite(c, y, x)
      std::vector<Expr> a = kids(e);
      if (a.size() != 3)
        return e;
      if (a[0].op() == Op::Not && a[0].args().size() == 1)
        return Expr::ite(a[0].args()[0], a[2], a[1]);
      return Expr::ite(a[0], a[1], a[2]);
    }
    case Op::FSub:
    case Op::FDiv:
    case Op::FLt:
    case Op::FLe: {
      std::vector<Expr> a = kids(e);
      if (a.size() != 2)
        return e;
      switch (e.op()) {
      case Op::FSub:
        return a[0].fsub(a[1]);
      case Op::FDiv:
        return a[0].fdiv(a[1]);
      case Op::FLt:
        return a[0].folt(a[1]);
      default:
        return a[0].fole(a[1]);
      }
    }
    case Op::FSqrt:
    case Op::FNeg:
    case Op::FAbs:
    case Op::FIsNaN:
    case Op::FIsInf:
    case Op::FIsZero:
    case Op::FIsNeg:
    case Op::FIsSubnormal:
    case Op::FromBits:
    case Op::ToBits: {
      std::vector<Expr> a = kids(e);
      if (a.size() != 1)
        return e;
      // Only binary32 reinterpretations are rebuilt (half conversions are
      // left as built).
      if (e.op() == Op::FromBits && !(a[0].isBV() && a[0].bvWidth() == 32))
        return e;
      if (e.op() == Op::ToBits && !(e.isBV() && e.bvWidth() == 32))
        return e;
      switch (e.op()) {
      case Op::FSqrt:
        return a[0].fsqrt();
      case Op::FNeg:
        return a[0].fneg();
      case Op::FAbs:
        return a[0].fabs();
      case Op::FIsNaN:
        return a[0].isNaN();
      case Op::FIsInf:
        return a[0].isInf();
      case Op::FIsZero:
        return a[0].isZero();
      case Op::FIsNeg:
        return a[0].isNegative();
      case Op::FIsSubnormal:
        return a[0].isSubnormal();
      case Op::FromBits:
        return Expr::fpFromBits(a[0]);
      default:
        return a[0].fpToBits();
      }
    }
    case Op::UF: { // the approximate functions: fp32 -> fp32
      std::vector<Expr> a = kids(e);
      if (a.empty() || !e.isFP())
        return e;
      for (const Expr &x : a)
        if (!x.isFP())
          return e;
      return Expr::uf(e.ufName(), a);
    }
    default:
      return e; // variables, numerals, bit-vector operations: as built
    }
  }
};

} // namespace

Expr canonicalSymmetric(const Expr &e) { return Canon().run(e); }

bool sameUpToSymmetry(const Expr &a, const Expr &b) {
  Canon c; // one memo: shared subterms are canonicalised once
  return c.run(a).simplify().same(c.run(b).simplify());
}

} // namespace ksynth::verify
