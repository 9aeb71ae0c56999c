#include "verify/Rounding.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <string>

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

namespace {

constexpr double kU = 0x1p-24;         // unit roundoff of binary32, nearest
constexpr double kEta = 0x1p-150;      // half the smallest subnormal spacing
constexpr double kSlack = 1 + 0x1p-40; // covers rounding in this analysis

double up(double x) { return x * kSlack + 0x1p-1000; }

// The executor's i1 values are bit-vectors: a condition may read
// (= (ite c #b1 #b0) #b1). Returns c for that shape, else the condition.
Expr unwrap(const Expr &cond) {
  if (cond.op() != Op::Eq)
    return cond;
  std::vector<Expr> a = cond.args();
  if (a.size() != 2 || !a[0].isBV() || a[0].bvWidth() != 1)
    return cond;
  for (int i = 0; i < 2; ++i) {
    const Expr &t = a[i], &k = a[1 - i];
    if (t.op() == Op::Ite && k.asUInt()) {
      std::vector<Expr> ta = t.args();
      auto one = ta[1].asUInt(), zero = ta[2].asUInt();
      if (one && zero && *one == 1 && *zero == 0)
        return *k.asUInt() == 1 ? unwrap(ta[0]) : !unwrap(ta[0]);
    }
  }
  return cond;
}

std::optional<std::vector<Expr>> firstComparison(const Expr &cond);

// The two values an ite min/max pattern compares (minMax found them).
std::vector<Expr> comparedPair(const Expr &e) {
  return *firstComparison(e.args()[0]);
}

// A finite float constant (an fp numeral or the bits of one).
std::optional<float> constantOf(const Expr &e) {
  std::optional<uint32_t> bits = e.asFPBits();
  if (!bits) {
    std::vector<Expr> a = e.args();
    if (a.size() == 1)
      if (auto v = a[0].asUInt())
        bits = static_cast<uint32_t>(*v);
  }
  if (!bits)
    return std::nullopt;
  float f;
  std::memcpy(&f, &*bits, 4);
  if (!std::isfinite(f))
    return std::nullopt;
  return f;
}

} // namespace

Rounding::Rounding(std::function<std::optional<Box>(const std::string &)> box)
    : box_(std::move(box)) {}

bool Rounding::fail(const std::string &why) {
  if (why_.empty())
    why_ = why;
  return false;
}

std::optional<Expr> Rounding::toReal(const Expr &e) {
  auto it = real_.find(e.id());
  if (it != real_.end())
    return it->second.second;
  std::vector<Expr> a = e.args();
  std::vector<Expr> r;
  Op op = e.op();
  if (op == Op::FromBits && a.size() == 1 && a[0].op() == Op::BVNum)
    op = Op::FPNum; // a constant written as its bits
  if (op == Op::FromBits) {
    if (a.size() != 1 || !a[0].isConstVar()) {
      fail("reinterpreted bits of a computed value");
      return std::nullopt;
    }
    std::string name = a[0].varName();
    std::optional<Box> b = box_(name);
    if (!b) {
      fail("input " + name + " may be NaN, infinite or unbounded");
      return std::nullopt;
    }
    realVars_["real:" + name] = *b;
    Expr v = Expr::realVar("real:" + name);
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::FPNum) {
    std::optional<float> f = constantOf(e);
    if (!f) {
      fail("a NaN or infinite constant");
      return std::nullopt;
    }
    Expr v = Expr::realFromDouble(static_cast<double>(*f));
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::Ite) {
    if (auto d = decide(a[0])) {
      auto v = toReal(*d ? a[1] : a[2]);
      if (v)
        real_.emplace(e.id(), std::make_pair(e, *v));
      return v;
    }
    int mm = minMax(e);
    if (mm == 0) {
      fail("a branch on a computed value that is neither min nor max");
      return std::nullopt;
    }
    // min/max are continuous: the ideal value is the real min/max of the
    // leaves. Whatever order or tie rule picked it, the max of one set is
    // one variable m with m >= every leaf and m equal to one of them, so
    // that both sides' max of a row is syntactically the same term.
    std::vector<Expr> leaves;
    collectLeaves(e, mm, leaves);
    std::vector<unsigned> ids;
    std::vector<Expr> reals;
    for (const Expr &l : leaves) {
      auto rl = toReal(l);
      if (!rl)
        return std::nullopt;
      ids.push_back(l.id());
      reals.push_back(*rl);
    }
    std::sort(ids.begin(), ids.end());
    std::string key = mm > 0 ? "r.max" : "r.min";
    for (unsigned id : ids)
      key += "_" + std::to_string(id);
    auto known = extremes_.find(key);
    if (known != extremes_.end()) {
      real_.emplace(e.id(), std::make_pair(e, known->second));
      return known->second;
    }
    Expr v = Expr::realVar(key);
    std::vector<Expr> isOne;
    for (const Expr &rl : reals) {
      facts_.push_back(mm > 0 ? rl.rle(v) : v.rle(rl));
      isOne.push_back(v.eq(rl));
    }
    facts_.push_back(Expr::orAll(isOne));
    extremes_.emplace(key, v);
    keepLeaves_.insert(keepLeaves_.end(), leaves.begin(), leaves.end());
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::UF && e.ufName() == "cl.div" && a.size() == 2) {
    auto x = toReal(a[0]), y = toReal(a[1]);
    if (!x || !y)
      return std::nullopt;
    Expr v = x->rdiv(*y);
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  if (op == Op::UF || op == Op::FSqrt) {
    // IEEE sqrt is correctly rounded: a function with a half-ulp bound.
    std::string fn = op == Op::FSqrt ? "ieee.sqrt" : e.ufName();
    if (!ulps(fn) || a.size() != 1) {
      fail("function " + fn + " has no known accuracy");
      return std::nullopt;
    }
    auto x = toReal(a[0]);
    if (!x)
      return std::nullopt;
    Expr v = Expr::uf(realName(fn), {*x});
    std::string base = realName(fn).substr(2);
    if (base == "exp" || base == "expm1" || base == "tanh" || base == "erf" ||
        base == "sqrt") {
      if (base == "exp") {
        facts_.push_back(Expr::realVal(0).rlt(v));
        facts_.push_back(!x->eq(Expr::realVal(0)) || v.eq(Expr::realVal(1)));
      }
      if (base == "sqrt")
        facts_.push_back(Expr::realVal(0).rle(v) && v.rmul(v).eq(*x));
      if (base == "tanh" || base == "erf")
        facts_.push_back(Expr::realVal(-1).rle(v) && v.rle(Expr::realVal(1)));
    }
    real_.emplace(e.id(), std::make_pair(e, v));
    return v;
  }
  for (const Expr &x : a) {
    if (!x.isFP()) {
      fail("a branch or comparison on a computed value");
      return std::nullopt;
    }
    auto rx = toReal(x);
    if (!rx)
      return std::nullopt;
    r.push_back(*rx);
  }
  Expr v;
  switch (op) {
  case Op::FAdd:
    v = r[0].radd(r[1]);
    break;
  case Op::FSub:
    v = r[0].rsub(r[1]);
    break;
  case Op::FMul:
    v = r[0].rmul(r[1]);
    break;
  case Op::FDiv:
    v = r[0].rdiv(r[1]);
    break;
  case Op::FMA:
    v = r[0].rmul(r[1]).radd(r[2]);
    break;
  case Op::FNeg:
    v = r[0].rneg();
    break;
  case Op::FAbs:
    v = Expr::ite(r[0].rlt(Expr::realVal(0)), r[0].rneg(), r[0]);
    break;
  default:
    fail("an operation outside + - * / fma neg abs (" + e.str().substr(0, 60) +
         ")");
    return std::nullopt;
  }
  real_.emplace(e.id(), std::make_pair(e, v));
  return v;
}

std::optional<ErrorBound> Rounding::bound(const Expr &e) {
  auto it = bounds_.find(e.id());
  if (it != bounds_.end())
    return it->second.second;
  Op op = e.op();
  ErrorBound out;
  if (op == Op::FromBits && e.args().size() == 1 &&
      e.args()[0].op() == Op::BVNum)
    op = Op::FPNum;
  if (op == Op::FromBits) {
    std::vector<Expr> a = e.args();
    if (a.size() != 1 || !a[0].isConstVar() || !box_(a[0].varName())) {
      fail("input may be NaN, infinite or unbounded");
      return std::nullopt;
    }
    Box b = *box_(a[0].varName());
    out = {b.lo, b.hi, 0};
  } else if (op == Op::FPNum) {
    std::optional<float> f = constantOf(e);
    if (!f) {
      fail("a NaN or infinite constant");
      return std::nullopt;
    }
    out = {*f, *f, 0};
  } else if (op == Op::Ite) {
    std::vector<Expr> a = e.args();
    if (auto d = decide(a[0])) {
      auto b = bound(*d ? a[1] : a[2]);
      if (!b)
        return std::nullopt;
      out = *b;
    } else {
      int mm = minMax(e);
      if (mm == 0) {
        fail("a branch on a computed value that is neither min nor max");
        return std::nullopt;
      }
      std::vector<Expr> pq = comparedPair(e);
      auto x = bound(pq[0]), y = bound(pq[1]);
      if (!x || !y)
        return std::nullopt;
      // |max(x^, y^) - max(x, y)| <= max(ex, ey), likewise for min.
      out.lo = mm > 0 ? std::max(x->lo, y->lo) : std::min(x->lo, y->lo);
      out.hi = mm > 0 ? std::max(x->hi, y->hi) : std::min(x->hi, y->hi);
      out.err = std::max(x->err, y->err);
    }
  } else if (op == Op::UF && e.ufName() == "cl.div") {
    // OpenCL's default float division: 2.5 ulp instead of 0.5.
    std::vector<Expr> a = e.args();
    auto x = a.size() == 2 ? bound(a[0]) : std::nullopt;
    auto y = a.size() == 2 ? bound(a[1]) : std::nullopt;
    if (!x || !y)
      return std::nullopt;
    double bmin = divisorLowerBound(a[1], *y);
    if (bmin <= y->err || bmin == 0) {
      fail("a divisor may be zero");
      return std::nullopt;
    }
    if (y->lo >= 0)
      y->lo = std::max(y->lo, bmin);
    double q[4] = {x->lo / y->lo, x->lo / y->hi, x->hi / y->lo, x->hi / y->hi};
    double lo = *std::min_element(q, q + 4), hi = *std::max_element(q, q + 4);
    double carried = up((x->err * y->maxAbs() + x->maxAbs() * y->err) /
                        (bmin * (bmin - y->err)));
    double mag = std::max(std::fabs(lo), std::fabs(hi)) + carried;
    if (up(mag * (1 + 0x1p-20)) >= static_cast<double>(FLT_MAX)) {
      fail("a quotient may overflow float32");
      return std::nullopt;
    }
    out = {lo, hi, up(carried + 2.5 * (0x1p-23 * mag + 0x1p-149))};
  } else if (op == Op::UF || op == Op::FSqrt) {
    std::string fn = op == Op::FSqrt ? "ieee.sqrt" : e.ufName();
    std::optional<double> k = ulps(fn);
    std::vector<Expr> a = e.args();
    if (!k || a.size() != 1) {
      fail("function " + fn + " has no known accuracy");
      return std::nullopt;
    }
    auto x = bound(a[0]);
    if (!x)
      return std::nullopt;
    std::string base = realName(fn).substr(2);
    double lo = x->lo, hi = x->hi, ex = x->err;
    // f over [lo, hi]; slope bounds f' over the computed argument's range.
    double flo, fhi, slope;
    if (base == "exp" || base == "expm1") {
      flo = base == "exp" ? std::exp(lo) : std::expm1(lo);
      fhi = base == "exp" ? std::exp(hi) : std::expm1(hi);
      slope = std::exp(hi + ex);
    } else if (base == "log" || base == "log1p") {
      double shift = base == "log" ? 0 : 1;
      if (lo - ex + shift <= 0) {
        fail(base + " of a value that may be <= " + (shift ? "-1" : "0"));
        return std::nullopt;
      }
      flo = base == "log" ? std::log(lo) : std::log1p(lo);
      fhi = base == "log" ? std::log(hi) : std::log1p(hi);
      slope = 1 / (lo - ex + shift);
    } else if (base == "tanh") {
      flo = std::tanh(lo);
      fhi = std::tanh(hi);
      slope = 1;
    } else if (base == "erf") {
      flo = std::erf(lo);
      fhi = std::erf(hi);
      slope = 1.1283791670955126; // 2/sqrt(pi)
    } else if (base == "sqrt") {
      if (lo - ex <= 0) {
        fail("sqrt of a value that may be <= 0");
        return std::nullopt;
      }
      flo = std::sqrt(lo);
      fhi = std::sqrt(hi);
      slope = 0.5 / std::sqrt(lo - ex);
    } else {
      fail("function " + fn + " has no error model");
      return std::nullopt;
    }
    // Outward by a few double ulps: libm is not exact either.
    flo -= std::fabs(flo) * 0x1p-40 + 0x1p-1000;
    fhi += std::fabs(fhi) * 0x1p-40 + 0x1p-1000;
    double mag = std::max(std::fabs(flo), std::fabs(fhi)) + slope * ex;
    if (!std::isfinite(mag) ||
        mag * (1 + 0x1p-20) >= static_cast<double>(FLT_MAX)) {
      fail(base + " may overflow float32");
      return std::nullopt;
    }
    // Argument error through the slope, then k ulps of the result
    // (ulp(y) <= 2^-23 |y| + 2^-149).
    out = {flo, fhi, up(slope * ex + *k * (0x1p-23 * mag + 0x1p-149))};
  } else {
    std::vector<ErrorBound> x;
    for (const Expr &a : e.args()) {
      if (!a.isFP()) {
        fail("a branch or comparison on a computed value");
        return std::nullopt;
      }
      auto b = bound(a);
      if (!b)
        return std::nullopt;
      x.push_back(*b);
    }
    auto rounded = [&](double lo, double hi, double carried) {
      // The operation's exact result on the computed operands lies within
      // `carried` of [lo, hi]; rounding adds u|result| + eta.
      double mag = std::max(std::fabs(lo), std::fabs(hi)) + carried;
      if (up(mag * (1 + kU)) >= static_cast<double>(FLT_MAX)) {
        fail("an intermediate result may overflow float32");
        return false;
      }
      out = {lo, hi, up(carried + kU * mag + kEta)};
      return true;
    };
    switch (op) {
    case Op::FNeg:
      out = {-x[0].hi, -x[0].lo, x[0].err};
      break;
    case Op::FAbs:
      out = {x[0].minAbs(), x[0].maxAbs(), x[0].err};
      break;
    case Op::FAdd:
      if (!rounded(x[0].lo + x[1].lo, x[0].hi + x[1].hi, x[0].err + x[1].err))
        return std::nullopt;
      break;
    case Op::FSub: {
      // a - max(..., a, ...) <= 0 exactly, and rounding keeps it so.
      std::vector<Expr> ab = e.args();
      double hi = x[0].hi - x[1].lo;
      bool belowMax = isMaxOperand(ab[1], ab[0]);
      if (belowMax)
        hi = std::min(hi, 0.0);
      if (!rounded(x[0].lo - x[1].hi, hi, x[0].err + x[1].err))
        return std::nullopt;
      if (belowMax) // fl(d) <= 0 whenever d <= 0: no error above 0
        out.hi = std::min(out.hi, 0.0);
      break;
    }
    case Op::FMul:
    case Op::FMA: {
      double p[4] = {x[0].lo * x[1].lo, x[0].lo * x[1].hi, x[0].hi * x[1].lo,
                     x[0].hi * x[1].hi};
      double lo = *std::min_element(p, p + 4), hi = *std::max_element(p, p + 4);
      double A = x[0].maxAbs(), B = x[1].maxAbs();
      double carried = A * x[1].err + B * x[0].err + x[0].err * x[1].err;
      if (op == Op::FMA) {
        lo += x[2].lo;
        hi += x[2].hi;
        carried += x[2].err;
      }
      if (!rounded(lo, hi, carried))
        return std::nullopt;
      break;
    }
    case Op::FDiv: {
      double bmin = divisorLowerBound(e.args()[1], x[1]);
      if (bmin <= x[1].err || bmin == 0) {
        fail("a divisor may be zero");
        return std::nullopt;
      }
      if (x[1].lo >= 0)
        x[1].lo = std::max(x[1].lo, bmin);
      double q[4] = {x[0].lo / x[1].lo, x[0].lo / x[1].hi, x[0].hi / x[1].lo,
                     x[0].hi / x[1].hi};
      double lo = *std::min_element(q, q + 4), hi = *std::max_element(q, q + 4);
      double A = x[0].maxAbs(), B = x[1].maxAbs();
      double carried =
          (x[0].err * B + A * x[1].err) / (bmin * (bmin - x[1].err));
      if (!rounded(lo, hi, up(carried)))
        return std::nullopt;
      break;
    }
    default:
      fail("an operation outside + - * / fma neg abs");
      return std::nullopt;
    }
  }
  bounds_.emplace(e.id(), std::make_pair(e, out));
  return out;
}

std::optional<double> Rounding::ulps(const std::string &uf) {
  if (uf == "ieee.sqrt")
    return 0.5;
  static const std::map<std::string, double> cl = {
      {"exp", 3},  {"expm1", 3}, {"log", 3}, {"log1p", 2},
      {"tanh", 5}, {"erf", 16},  {"sqrt", 3}};
  static const std::map<std::string, double> ref = {{"exp", 2},  {"expm1", 2},
                                                    {"log", 2},  {"log1p", 2},
                                                    {"tanh", 2}, {"erf", 2}};
  bool isCl = uf.rfind("cl.", 0) == 0;
  const auto &table = isCl ? cl : ref;
  auto it = table.find(isCl ? uf.substr(3) : uf);
  if (it == table.end())
    return std::nullopt;
  return it->second;
}

std::string Rounding::realName(const std::string &uf) {
  if (uf == "ieee.sqrt")
    return "r.sqrt";
  return "r." + (uf.rfind("cl.", 0) == 0 ? uf.substr(3) : uf);
}

std::optional<bool> Rounding::decide(const Expr &cond) {
  Expr c = unwrap(cond);
  std::vector<Expr> a = c.args();
  switch (c.op()) {
  case Op::True:
    return true;
  case Op::False:
    return false;
  case Op::Not:
    if (auto d = decide(a[0]))
      return !*d;
    return std::nullopt;
  case Op::And: {
    bool all = true;
    for (const Expr &x : a) {
      auto d = decide(x);
      if (d && !*d)
        return false;
      all = all && d.has_value();
    }
    return all ? std::optional<bool>(true) : std::nullopt;
  }
  case Op::Or: {
    bool all = true;
    for (const Expr &x : a) {
      auto d = decide(x);
      if (d && *d)
        return true;
      all = all && d.has_value();
    }
    return all ? std::optional<bool>(false) : std::nullopt;
  }
  case Op::FIsNaN:
  case Op::FIsInf: {
    // A bounded value (finite inputs, no overflow) is neither.
    std::string saved = why_;
    bool ok = bound(a[0]).has_value();
    why_ = saved;
    return ok ? std::optional<bool>(false) : std::nullopt;
  }
  case Op::FLt:
  case Op::FLe: {
    std::string saved = why_;
    auto x = bound(a[0]), y = bound(a[1]);
    why_ = saved;
    if (!x || !y)
      return std::nullopt;
    if (x->hi + x->err < y->lo - y->err)
      return true;
    if (x->lo - x->err > y->hi + y->err)
      return false;
    return std::nullopt;
  }
  default:
    return std::nullopt;
  }
}

namespace {

// A condition's value when p > q (pGreater) or p < q, if it follows from
// that order alone (comparisons of p and q, combined by not/and/or).
std::optional<bool> underOrder(const Expr &cond, const Expr &p, const Expr &q,
                               bool pGreater) {
  Expr c = unwrap(cond);
  std::vector<Expr> a = c.args();
  switch (c.op()) {
  case Op::Not: {
    auto v = underOrder(a[0], p, q, pGreater);
    return v ? std::optional<bool>(!*v) : std::nullopt;
  }
  case Op::And:
  case Op::Or: {
    bool isAnd = c.op() == Op::And, all = true;
    for (const Expr &x : a) {
      auto v = underOrder(x, p, q, pGreater);
      if (v && *v != isAnd)
        return !isAnd; // a false conjunct / a true disjunct decides
      all = all && v.has_value();
    }
    return all ? std::optional<bool>(isAnd) : std::nullopt;
  }
  case Op::FLt:
  case Op::FLe:
  case Op::FEq: {
    bool pq = a[0].same(p) && a[1].same(q), qp = a[0].same(q) && a[1].same(p);
    if (!pq && !qp)
      return std::nullopt;
    if (c.op() == Op::FEq)
      return false; // strict order: never equal
    bool lhsGreater = pq ? pGreater : !pGreater;
    return !lhsGreater;
  }
  default:
    return std::nullopt;
  }
}

// The value (p or q) a chain of ites selects when p > q (pGreater) or
// p < q; nullopt if it depends on anything else.
std::optional<bool> selectsP(const Expr &t, const Expr &p, const Expr &q,
                             bool pGreater) {
  if (t.same(p))
    return true;
  if (t.same(q))
    return false;
  if (t.op() != Op::Ite)
    return std::nullopt;
  std::vector<Expr> a = t.args();
  if (auto cv = underOrder(a[0], p, q, pGreater))
    return selectsP(*cv ? a[1] : a[2], p, q, pGreater);
  // Anything else (an implementation-defined choice for ties, say): both
  // branches must agree.
  auto x = selectsP(a[1], p, q, pGreater), y = selectsP(a[2], p, q, pGreater);
  if (x && y && *x == *y)
    return x;
  return std::nullopt;
}

// The first comparison of two floats inside a condition.
std::optional<std::vector<Expr>> firstComparison(const Expr &cond) {
  Expr c = unwrap(cond);
  if (c.op() == Op::FLt || c.op() == Op::FLe)
    return c.args();
  if (c.op() == Op::Not || c.op() == Op::And || c.op() == Op::Or)
    for (const Expr &x : c.args())
      if (auto r = firstComparison(x))
        return r;
  return std::nullopt;
}

} // namespace

int Rounding::minMax(const Expr &e) {
  // The two values compared by the outermost condition.
  auto pq = firstComparison(e.args()[0]);
  if (!pq)
    return 0;
  Expr p = (*pq)[0], q = (*pq)[1];
  // Ties select p or q, which are then equal: only the strict orders count.
  auto whenGreater = selectsP(e, p, q, true),
       whenLess = selectsP(e, p, q, false);
  if (!whenGreater || !whenLess)
    return 0;
  if (*whenGreater && !*whenLess)
    return 1; // max(p, q)
  if (!*whenGreater && *whenLess)
    return -1; // min(p, q)
  return 0;
}

Expr Rounding::functionFacts() const { return Expr::andAll(facts_); }

void Rounding::collectLeaves(const Expr &t, int kind, std::vector<Expr> &out) {
  if (t.op() == Op::Ite) {
    std::vector<Expr> a = t.args();
    if (auto d = decide(a[0]))
      return collectLeaves(*d ? a[1] : a[2], kind, out);
    if (minMax(t) == kind) {
      std::vector<Expr> pq = comparedPair(t);
      collectLeaves(pq[0], kind, out);
      collectLeaves(pq[1], kind, out);
      return;
    }
  }
  for (const Expr &o : out)
    if (o.same(t))
      return;
  out.push_back(t);
}

bool Rounding::isMaxOperand(const Expr &m, const Expr &a) {
  if (m.same(a))
    return true;
  if (m.op() != Op::Ite)
    return false;
  std::vector<Expr> args = m.args();
  if (auto d = decide(args[0]))
    return isMaxOperand(*d ? args[1] : args[2], a);
  if (minMax(m) <= 0)
    return false;
  std::vector<Expr> pq = comparedPair(m);
  return isMaxOperand(pq[0], a) || isMaxOperand(pq[1], a);
}

double Rounding::divisorLowerBound(const Expr &divisor, const ErrorBound &b) {
  double bmin = b.minAbs();
  if (bmin > 4 * b.err || !prove_ || b.lo < 0)
    return bmin;
  std::string saved = why_;
  std::optional<Expr> r = toReal(divisor);
  why_ = saved;
  if (!r)
    return bmin;
  // Largest first: the quotient's error shrinks with the square of it.
  for (double beta : {b.hi / 2, b.hi / 16, 1.0, 64 * b.err}) {
    if (beta <= 4 * b.err || beta > b.hi || beta <= bmin)
      continue;
    if (prove_(*r, beta))
      return beta;
  }
  return bmin;
}

Expr Rounding::realDomain() const {
  std::vector<Expr> cs;
  for (auto &[name, b] : realVars_) {
    Expr v = Expr::realVar(name);
    cs.push_back(Expr::realFromDouble(b.lo).rle(v) &&
                 v.rle(Expr::realFromDouble(b.hi)));
  }
  return Expr::andAll(cs);
}

} // namespace ksynth::verify
