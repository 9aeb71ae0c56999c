// foldSpecialValues (RealNormal.h): float terms whose operands are known
// finite and away from the special cases (NaN, infinities, signed zeros)
// folded to their plain arithmetic form, so the rounding level sees the
// value the term computes.
#include "verify/numerics/RealNormal.h"

#include "verify/numerics/Rounding.h"
#include "verify/numerics/RoundingArith.h"

#include <cmath>
#include <cstring>
#include <optional>

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

namespace {

// A float constant (rounding::anyConstantOf, RoundingArith.h).
std::optional<float> fpConstant(const Expr &e) {
  return rounding::anyConstantOf(e);
}

class Folder {
public:
  explicit Folder(const Rounding &ra) : probe_(ra) {
    // No solver queries from this pass: a divisor the intervals alone do
    // not keep from zero makes its term not known finite (fewer folds).
    probe_.setProver(nullptr);
  }

  Expr fold(const Expr &e) {
    auto it = memo_.find(e.id());
    if (it != memo_.end())
      return it->second.second;
    Expr r = foldTop(rebuild(e));
    memo_.emplace(e.id(), std::make_pair(e, r));
    return r;
  }

private:
  Rounding probe_; // a copy: its reasons and caches are its own
  std::unordered_map<unsigned, std::pair<Expr, Expr>> memo_;
  std::unordered_map<unsigned, std::pair<Expr, bool>> finite_;

  // Finite for every input of the domain: a finite constant, or a term the
  // rounding level bounds (finite inputs, no overflow).
  bool finite(const Expr &x) {
    if (!x.isFP())
      return false;
    if (auto c = fpConstant(x))
      return std::isfinite(*c);
    auto it = finite_.find(x.id());
    if (it != finite_.end())
      return it->second.second;
    bool ok = probe_.bound(x).has_value();
    finite_.emplace(x.id(), std::make_pair(x, ok));
    return ok;
  }

  // The term with its operands folded; unchanged where an operation is not
  // one this pass knows how to rebuild exactly.
  Expr rebuild(const Expr &e) {
    std::vector<Expr> a = e.args();
    if (a.empty())
      return e;
    Op op = e.op();
    switch (op) {
    case Op::Not:
    case Op::And:
    case Op::Or:
    case Op::Ite:
    case Op::Eq:
    case Op::FAdd:
    case Op::FSub:
    case Op::FMul:
    case Op::FDiv:
    case Op::FMA:
    case Op::FSqrt:
    case Op::FNeg:
    case Op::FAbs:
    case Op::FLt:
    case Op::FLe:
    case Op::FEq:
    case Op::FIsNaN:
    case Op::FIsInf:
    case Op::FIsZero:
    case Op::FIsNeg:
    case Op::UF:
      break;
    default:
      return e;
    }
    std::vector<Expr> f;
    bool changed = false;
    for (const Expr &x : a) {
      f.push_back(fold(x));
      changed = changed || !f.back().same(x);
    }
    if (!changed)
      return e;
    switch (op) {
    case Op::Not:
      return !f[0];
    case Op::And:
      return Expr::andAll(f);
    case Op::Or:
      return Expr::orAll(f);
    case Op::Ite:
      return Expr::ite(f[0], f[1], f[2]);
    case Op::Eq:
      return f[0].eq(f[1]);
    case Op::FAdd:
      return f[0].fadd(f[1]);
    case Op::FSub:
      return f[0].fsub(f[1]);
    case Op::FMul:
      return f[0].fmul(f[1]);
    case Op::FDiv:
      return f[0].fdiv(f[1]);
    case Op::FMA:
      return f[0].fma(f[1], f[2]);
    case Op::FSqrt:
      return f[0].fsqrt();
    case Op::FNeg:
      return f[0].fneg();
    case Op::FAbs:
      return f[0].fabs();
    case Op::FLt:
      return f[0].folt(f[1]);
    case Op::FLe:
      return f[0].fole(f[1]);
    case Op::FEq:
      return f[0].foeq(f[1]);
    case Op::FIsNaN:
      return f[0].isNaN();
    case Op::FIsInf:
      return f[0].isInf();
    case Op::FIsZero:
      return f[0].isZero();
    case Op::FIsNeg:
      return f[0].isNegative();
    case Op::UF:
      return Expr::uf(e.ufName(), f);
    default:
      return e;
    }
  }

  // Welford's M2 increment d * e with d = x - mo, e = x - (mo + d / K), K a
  // constant >= 2, IEEE division, everything finite: d * e >= 0 when
  // computed, as over the reals (e = (1 - 1/K) d). For d > 0: 0 <= fl(d /
  // K) and mo + fl(d / K) <= mo + d (1 + u)^2 / 2 + 2^-150 <= x (x - mo is
  // at least 2^-149, and at 2^-149 fl(d / K) = 0), so rounding (monotone)
  // keeps mo <= mn <= x and e = fl(x - mn) >= 0; d < 0 likewise, d = 0
  // gives a zero. Then d * e = |d| * |e|: returns (|d|, |e|), which tells the
  // rounding level's interval analysis that the product is >= 0 (its ideal
  // value too) and the normal form that it is (1 - 1/K) d^2.
  std::optional<std::pair<Expr, Expr>> welfordProduct(const Expr &p,
                                                      const Expr &q) {
    for (int i = 0; i < 2; ++i) {
      const Expr &d = i ? q : p, &e = i ? p : q;
      if (d.op() != Op::FSub || e.op() != Op::FSub)
        continue;
      std::vector<Expr> da = d.args(), ea = e.args();
      if (!da[0].same(ea[0]) || ea[1].op() != Op::FAdd)
        continue;
      const Expr &x = da[0], &mo = da[1], &mn = ea[1];
      std::vector<Expr> na = mn.args();
      for (int j = 0; j < 2; ++j) {
        if (!na[j].same(mo) || na[1 - j].op() != Op::FDiv)
          continue;
        std::vector<Expr> qa = na[1 - j].args();
        auto K = fpConstant(qa[1]);
        if (!qa[0].same(d) || !K || !(*K >= 2) || !std::isfinite(*K))
          continue;
        if (finite(x) && finite(mo) && finite(d) && finite(mn) && finite(e))
          return std::make_pair(d.fabs(), e.fabs());
      }
    }
    return std::nullopt;
  }

  // One rule at the root (operands already folded). Every rule is exact.
  Expr foldTop(const Expr &e) {
    Op op = e.op();
    std::vector<Expr> a = e.args();
    auto cst = [](const Expr &x) { return fpConstant(x); };
    auto isInfC = [&](const Expr &x, bool negative) {
      auto c = cst(x);
      return c && std::isinf(*c) && (*c < 0) == negative;
    };
    switch (op) {
    case Op::Not:
      if (a[0].isTrue() || a[0].isFalse())
        return Expr::boolVal(a[0].isFalse());
      return e;
    case Op::And:
    case Op::Or: {
      bool isAnd = op == Op::And;
      std::vector<Expr> keep;
      for (const Expr &x : a) {
        if (x.asBool() == std::optional<bool>(!isAnd))
          return Expr::boolVal(!isAnd); // a false conjunct, a true disjunct
        if (!x.asBool())
          keep.push_back(x);
      }
      if (keep.size() == a.size())
        return e;
      return isAnd ? Expr::andAll(keep) : Expr::orAll(keep);
    }
    case Op::Eq: {
      auto x = a[0].asUInt(), y = a[1].asUInt();
      if (a[0].isBV() && x && y)
        return Expr::boolVal(*x == *y);
      return e;
    }
    case Op::Ite:
      if (a[0].isTrue())
        return a[1];
      if (a[0].isFalse())
        return a[2];
      if (a[1].same(a[2]))
        return a[1];
      return e;
    case Op::FIsNaN:
    case Op::FIsInf: {
      if (auto c = cst(a[0]))
        return Expr::boolVal(op == Op::FIsNaN ? std::isnan(*c)
                                              : std::isinf(*c));
      if (finite(a[0]))
        return Expr::boolVal(false);
      return e;
    }
    case Op::FLt:
    case Op::FLe:
    case Op::FEq: {
      auto x = cst(a[0]), y = cst(a[1]);
      if (x && y)
        return Expr::boolVal(op == Op::FLt   ? *x < *y
                             : op == Op::FLe ? *x <= *y
                                             : *x == *y);
      // An infinite constant against a finite value: never equal, and the
      // order is the constant's sign.
      for (int i = 0; i < 2; ++i) {
        auto k = i == 0 ? x : y;
        if (!k || !std::isinf(*k) || !finite(a[1 - i]))
          continue;
        if (op == Op::FEq)
          return Expr::boolVal(false);
        bool lhsSmaller = i == 0 ? *k < 0 : *k > 0;
        return Expr::boolVal(lhsSmaller);
      }
      return e;
    }
    case Op::FSub:
    case Op::FAdd: {
      bool sub = op == Op::FSub;
      for (int i = 0; i < 2; ++i) {
        auto k = cst(a[i]);
        if (!k || !std::isinf(*k) || !finite(a[1 - i]))
          continue;
        // inf +- finite = inf; finite - inf = -inf; (-inf) - finite = -inf.
        float v = (sub && i == 1) ? -*k : *k;
        return Expr::fpVal(v);
      }
      // y - y = +0 for finite y (round to nearest).
      if (sub && a[0].same(a[1]) && finite(a[0]))
        return Expr::fpVal(0.0f);
      // y - (+0) = y and (-0) + y = y for every y; (+0) + y = y but for
      // y = -0 (then +0: a sign of zero, see the header).
      auto k0 = cst(a[0]), k1 = cst(a[1]);
      if (sub && k1 && *k1 == 0 && !std::signbit(*k1))
        return a[0];
      if (!sub && k0 && *k0 == 0)
        return a[1];
      if (!sub && k1 && *k1 == 0)
        return a[0];
      return e;
    }
    case Op::FMA: {
      if (auto w = welfordProduct(a[0], a[1]))
        return w->first.fma(w->second, a[2]);
      // (+-0) * y + z = z for finite y, z (but for z = -0: a zero's sign).
      for (int i = 0; i < 2; ++i) {
        auto k = cst(a[i]);
        if (k && *k == 0 && finite(a[1 - i]) && finite(a[2]))
          return a[2];
      }
      return e;
    }
    case Op::FMul:
    case Op::FDiv: {
      if (op == Op::FMul)
        if (auto w = welfordProduct(a[0], a[1]))
          return w->first.fmul(w->second);
      // (+-0) * y = +-0 for finite y: +0 (a zero's sign, see the header).
      for (int i = 0; op == Op::FMul && i < 2; ++i) {
        auto k = cst(a[i]);
        if (k && *k == 0 && finite(a[1 - i]))
          return Expr::fpVal(0.0f);
      }
      // y * 1 = 1 * y = y / 1 = y, exactly.
      auto k1 = cst(a[1]);
      if (k1 && *k1 == 1)
        return a[0];
      auto k0 = cst(a[0]);
      if (op == Op::FMul && k0 && *k0 == 1)
        return a[1];
      return e;
    }
    case Op::UF: {
      std::string n = e.ufName();
      if ((n == "cl.exp" || n == "exp") && a.size() == 1)
        if (isInfC(a[0], true))
          return Expr::fpVal(0.0f); // exp(-inf) = +0, exactly
      return e;
    }
    default:
      return e;
    }
  }
};

} // namespace

Expr foldSpecialValues(const Expr &fp, const Rounding &ra) {
  Folder f(ra);
  return f.fold(fp);
}

} // namespace ksynth::verify
