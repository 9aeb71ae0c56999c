#include "verify/Rounding.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

namespace {

constexpr double kU = 0x1p-24;     // unit roundoff of binary32, nearest
constexpr double kEta = 0x1p-150;  // half the smallest subnormal spacing
constexpr double kSlack = 1 + 0x1p-40; // covers rounding in this analysis

double up(double x) { return x * kSlack + 0x1p-1000; }

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
  case Op::FAdd: v = r[0].radd(r[1]); break;
  case Op::FSub: v = r[0].rsub(r[1]); break;
  case Op::FMul: v = r[0].rmul(r[1]); break;
  case Op::FDiv: v = r[0].rdiv(r[1]); break;
  case Op::FMA: v = r[0].rmul(r[1]).radd(r[2]); break;
  case Op::FNeg: v = r[0].rneg(); break;
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
    case Op::FSub:
      if (!rounded(x[0].lo - x[1].hi, x[0].hi - x[1].lo, x[0].err + x[1].err))
        return std::nullopt;
      break;
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
      double bmin = x[1].minAbs();
      if (bmin <= x[1].err || bmin == 0) {
        fail("a divisor may be zero");
        return std::nullopt;
      }
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
