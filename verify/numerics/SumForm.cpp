// The summation form's proof and magnitude term (verify/numerics/SumForm.h).
#include "verify/numerics/SumForm.h"
#include "verify/core/VarNames.h"

#include "verify/numerics/LinearSum.h"
#include "verify/numerics/RoundingArith.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

namespace {

constexpr double kU = 0x1p-24;          // unit roundoff of float32
constexpr double kUnderflow = 0x1p-150; // half the subnormal spacing
constexpr double kSafe = 0x1p127;       // below it, rounding cannot overflow

// An upper bound of a non-negative double result (one rounding or more).
double up(double x) { return x == 0 ? 0 : x * (1 + 0x1p-50) + 0x1p-1060; }

// p + k q (k >= 0), rounded up, for the non-negative polynomials.
void addScaled(MonoPoly &p, const MonoPoly &q, double k) {
  if (k == 0)
    return;
  for (const auto &[m, v] : q)
    p[m] = up(p[m] + up(v * k));
}

// Adds 2^-52 |a_j| to err_j: the double rounding of a computed ideal
// coefficient a_j.
void coefficientRounding(const MonoPoly &ideal, MonoPoly &err) {
  for (const auto &[m, a] : ideal)
    if (a != 0)
      err[m] = up(err[m] + up(std::fabs(a) * 0x1p-52));
}

MonoPoly times(const MonoPoly &p, double k) {
  MonoPoly r;
  for (const auto &[m, v] : p)
    r[m] = v * k;
  return r;
}

Monomial product(const Monomial &a, const Monomial &b) {
  Monomial r = a;
  r.insert(r.end(), b.begin(), b.end());
  std::sort(r.begin(), r.end());
  return r;
}

bool isConstant(const SumTerms &t) {
  for (const auto &[m, v] : t.ideal)
    if (!m.empty() && v != 0)
      return false;
  return t.err.empty() ||
         (t.err.size() == 1 && t.err.count({}) && t.err.at({}) == 0);
}

double constantValue(const SumTerms &t) {
  auto it = t.ideal.find({});
  return it == t.ideal.end() ? 0 : it->second;
}

bool isExact(const SumTerms &t) {
  for (const auto &[m, v] : t.err)
    if (v != 0)
      return false;
  return true;
}

} // namespace

double SumForm::maxAbs(const std::string &var) const {
  std::optional<Box> b = box_(var);
  return b ? std::max(std::fabs(b->lo), std::fabs(b->hi)) : HUGE_VAL;
}

double SumForm::maxOver(const MonoPoly &p) const {
  double s = 0;
  for (const auto &[m, v] : p) {
    double t = v;
    for (const std::string &x : m)
      t = up(t * maxAbs(x));
    s = up(s + t);
  }
  return s;
}

std::optional<SumTerms> SumForm::analyse(const Expr &e) {
  if (std::optional<SumTerms> t = analyseLinear(e))
    return t;
  return analysePoly(e);
}

std::optional<SumTerms> SumForm::analyseLinear(const Expr &e) {
  auto leaf = [&](const Expr &x) -> std::optional<size_t> {
    if (x.op() != Op::FromBits)
      return std::nullopt;
    std::vector<Expr> a = x.args();
    if (a.size() != 1 || !a[0].isConstVar())
      return std::nullopt;
    std::string name = a[0].varName();
    if (!box_(name))
      return std::nullopt;
    auto it = leafIds_.find(name);
    if (it == leafIds_.end()) {
      it = leafIds_.emplace(name, leafNames_.size()).first;
      leafNames_.push_back(name);
    }
    return it->second;
  };
  std::string why;
  std::optional<LinearSum> l = analyseLinearSum(
      e, leaf, [&](size_t j) { return maxAbs(leafNames_.at(j)); }, why);
  if (!l || !l->bounded)
    return std::nullopt; // the polynomials say why
  SumTerms t;
  for (size_t j = 0; j < l->ideal.size(); ++j) {
    if (l->ideal[j] != 0)
      t.ideal[{leafNames_[j]}] = l->ideal[j];
    double er = up(l->err[j] + l->coefErr[j]);
    if (er != 0)
      t.err[{leafNames_[j]}] = er;
  }
  if (l->ideal0 != 0)
    t.ideal[{}] = l->ideal0;
  if (l->err0 != 0)
    t.err[{}] = l->err0;
  return t;
}

std::optional<SumTerms> SumForm::analysePoly(const Expr &e) {
  auto memo = memo_.find(e.id());
  if (memo != memo_.end())
    return memo->second;
  std::optional<SumTerms> r;
  Op op = e.op();
  std::vector<Expr> a = e.args();
  if (std::optional<float> k = rounding::anyConstantOf(e)) {
    if (!std::isfinite(*k))
      return fail("a NaN or infinite constant");
    SumTerms t;
    t.ideal[{}] = *k;
    t.mag[{}] = std::fabs(*k);
    r = t;
  } else if (op == Op::FromBits) {
    if (a.size() != 1 || !a[0].isConstVar())
      return fail("reinterpreted bits of a computed value");
    std::string name = a[0].varName();
    if (!box_(name))
      return fail(var::describeValue(name) +
                  " may be NaN, infinite or unbounded");
    SumTerms t;
    t.ideal[{name}] = 1;
    t.mag[{name}] = 1;
    r = t;
  } else if (op == Op::FNeg && a.size() == 1) {
    r = analysePoly(a[0]);
    if (r)
      for (auto &[m, v] : r->ideal)
        v = -v;
  } else if ((op == Op::FAdd || op == Op::FSub) && a.size() == 2) {
    std::optional<SumTerms> x = analysePoly(a[0]), y = analysePoly(a[1]);
    if (!x || !y)
      return std::nullopt;
    SumTerms t = *x;
    double sign = op == Op::FAdd ? 1 : -1;
    for (const auto &[m, v] : y->ideal)
      t.ideal[m] += sign * v;
    addScaled(t.mag, y->mag, 1);
    addScaled(t.err, y->err, 1);
    // fl(x^ + y^) - (x + y) = dx + dy + d (x^ + y^): u (|x| + |y| + Ex + Ey).
    addScaled(t.err, x->mag, kU);
    addScaled(t.err, y->mag, kU);
    addScaled(t.err, x->err, kU);
    addScaled(t.err, y->err, kU);
    coefficientRounding(y->ideal, t.err); // merged coefficients
    r = t;
  } else if ((op == Op::FMul || op == Op::FDiv) && a.size() == 2) {
    std::optional<SumTerms> x = analysePoly(a[0]), y = analysePoly(a[1]);
    if (!x || !y)
      return std::nullopt;
    bool yConst = isConstant(*y), xConst = isConstant(*x);
    if (op == Op::FMul && xConst && !yConst)
      std::swap(x, y), std::swap(xConst, yConst);
    SumTerms t;
    if (yConst) {
      // By a constant k: fl(k x^) - k x = k dx + d k x^ + e.
      double k = constantValue(*y);
      if (op == Op::FDiv) {
        if (k == 0)
          return fail("a division by zero");
        k = 1 / k; // rounded: coefficientRounding below
      }
      double ak = std::fabs(k) * (op == Op::FDiv ? 1 + 0x1p-52 : 1);
      t.ideal = times(x->ideal, k);
      addScaled(t.mag, x->mag, ak);
      addScaled(t.err, x->err, up(ak * (1 + kU)));
      addScaled(t.err, x->mag, up(ak * kU));
      coefficientRounding(t.ideal, t.err);
      t.err[{}] = up(t.err[{}] + kUnderflow);
    } else if (op == Op::FMul && isExact(*x) && isExact(*y)) {
      // Two exact values: fl(x y) - x y = d x y + e.
      for (const auto &[mx, vx] : x->ideal)
        for (const auto &[my, vy] : y->ideal)
          t.ideal[product(mx, my)] += vx * vy;
      for (const auto &[mx, vx] : x->mag)
        for (const auto &[my, vy] : y->mag) {
          Monomial m = product(mx, my);
          t.mag[m] = up(t.mag[m] + up(vx * vy));
        }
      addScaled(t.err, t.mag, kU);
      coefficientRounding(t.ideal, t.err);
      t.err[{}] = up(t.err[{}] + kUnderflow);
    } else {
      return fail(std::string(op == Op::FMul ? "a product" : "a quotient") +
                  " of two inexact values (only sums of products of inputs "
                  "are read)");
    }
    r = t;
  } else if (op == Op::FMA && a.size() == 3) {
    std::optional<SumTerms> x = analysePoly(a[0]), y = analysePoly(a[1]),
                            z = analysePoly(a[2]);
    if (!x || !y || !z)
      return std::nullopt;
    if (!isExact(*x) || !isExact(*y))
      return fail("an fma of inexact factors");
    // fl(x y + z^) - (x y + z) = dz + d (x y + z^) + e.
    SumTerms t = *z;
    MonoPoly pm;
    for (const auto &[mx, vx] : x->ideal)
      for (const auto &[my, vy] : y->ideal)
        t.ideal[product(mx, my)] += vx * vy;
    for (const auto &[mx, vx] : x->mag)
      for (const auto &[my, vy] : y->mag) {
        Monomial m = product(mx, my);
        pm[m] = up(pm[m] + up(vx * vy));
      }
    addScaled(t.mag, pm, 1);
    addScaled(t.err, t.mag, kU);
    addScaled(t.err, z->err, kU);
    coefficientRounding(t.ideal, t.err);
    t.err[{}] = up(t.err[{}] + kUnderflow);
    r = t;
  } else {
    return fail("an operation other than +, -, *, / by a constant and fma");
  }
  // No intermediate overflows anywhere in the box.
  if (!(up(maxOver(r->mag) + maxOver(r->err)) < kSafe))
    return fail("an intermediate result may overflow float32 over the "
                "input box");
  memo_.emplace(e.id(), *r);
  return r;
}

bool SumForm::fits(const SumTerms &c, const SumTerms &f, double atol,
                   double sumRtol, std::string &why) const {
  MonoPoly p = c.err;
  addScaled(p, f.err, 1);
  std::set<Monomial> keys;
  for (const auto &[m, v] : c.ideal)
    keys.insert(m);
  for (const auto &[m, v] : f.ideal)
    keys.insert(m);
  for (const Monomial &m : keys) {
    double ac = c.ideal.count(m) ? c.ideal.at(m) : 0;
    double af = f.ideal.count(m) ? f.ideal.at(m) : 0;
    double d = std::fabs(ac - af);
    d = up(d + (std::fabs(ac) + std::fabs(af)) * 0x1p-52);
    if (d > 0)
      p[m] = up(p[m] + d);
  }
  double charge = 0, need = 0;
  std::string worst;
  for (const auto &[m, v] : p) {
    if (v == 0)
      continue;
    double w = m.empty()          ? 0
               : f.ideal.count(m) ? std::fabs(f.ideal.at(m)) * (1 - 0x1p-50)
                                  : 0;
    double allowed = sumRtol * w * (1 - 0x1p-50);
    if (w > 0 && v / w > need) {
      need = v / w;
      worst.clear();
      for (const std::string &x : m)
        worst += (worst.empty() ? "" : "*") + x;
    }
    if (v <= allowed)
      continue;
    double excess = up(v - allowed);
    MonoPoly one{{m, excess}};
    charge = up(charge + maxOver(one));
  }
  if (charge <= atol * (1 - 0x1p-50))
    return true;
  char text[300];
  std::snprintf(text, sizeof text,
                "summation form: the error bounds need sum_rtol >= %.3g (at "
                "term %s) and atol >= %.3g beyond it (have sum_rtol %.3g, "
                "atol %.3g); a term the candidate drops, repeats or weights "
                "differently needs sum_rtol >= 1",
                need, worst.empty() ? "1" : worst.c_str(), charge, sumRtol,
                atol);
  why = text;
  return false;
}

std::optional<Expr> sumMagnitude(const Expr &f) {
  std::vector<Expr> terms;
  std::function<bool(const Expr &)> walk = [&](const Expr &e) -> bool {
    std::vector<Expr> a = e.args();
    Op op = e.op();
    if (std::optional<float> k = rounding::anyConstantOf(e)) {
      if (!std::isfinite(*k))
        return false;
      terms.push_back(Expr::realFromDouble(std::fabs(*k)));
      return true;
    }
    auto absReal = [](const Expr &x) {
      Expr r = x.fpToReal();
      return Expr::ite(r.rlt(Expr::realVal(0)), r.rneg(), r);
    };
    switch (op) {
    case Op::FromBits:
      terms.push_back(absReal(e));
      return true;
    case Op::FAdd:
    case Op::FSub:
      return a.size() == 2 && walk(a[0]) && walk(a[1]);
    case Op::FNeg:
      return a.size() == 1 && walk(a[0]);
    case Op::FMul:
      if (a.size() != 2)
        return false;
      terms.push_back(absReal(a[0]).rmul(absReal(a[1])));
      return true;
    default:
      return false;
    }
  };
  // A mean: the sum divided by the constant n.
  double scale = 1;
  Expr body = f;
  if (f.op() == Op::FDiv) {
    std::vector<Expr> a = f.args();
    std::optional<float> n =
        a.size() == 2 ? rounding::constantOf(a[1]) : std::nullopt;
    if (!n || *n == 0)
      return std::nullopt;
    scale = std::fabs(*n);
    body = a[0];
  }
  if (!walk(body) || terms.empty())
    return std::nullopt;
  Expr sum = terms[0];
  for (size_t i = 1; i < terms.size(); ++i)
    sum = sum.radd(terms[i]);
  return scale == 1 ? sum : sum.rdiv(Expr::realFromDouble(scale));
}

} // namespace ksynth::verify
