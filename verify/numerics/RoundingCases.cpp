// The rounding level's bounds of piecewise and case-split terms and its
// decisions on conditions (Rounding.h); the arithmetic is RoundingArith.h's,
// the propagation through operations and functions Rounding.cpp's.
#include "verify/core/VarNames.h"
#include "verify/numerics/Rounding.h"
#include "verify/numerics/RoundingArith.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <set>
#include <string>

// The propagation rules and the argument for each: docs/rounding-level.md.
// Notation: a computed value x^ of ideal value x with |x^ - x| <= A + R|x|
// (ErrorBound::abs, rel) and <= E (err); M = maxAbs of the ideal interval.

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

using namespace rounding;

std::optional<ErrorBound> Rounding::boundPiecewise(const Expr &e) {
  std::vector<Expr> a = e.args();
  if (!exactCondition(a[0])) {
    fail("a branch on a computed value that is neither min nor max nor an "
         "exactly computed comparison");
    return std::nullopt;
  }
  // The condition is the same for the computed and the ideal values, so
  // the taken branch's bounds hold; each branch is bounded where it is
  // taken when the condition compares an input with a constant.
  Expr c = unwrap(a[0]);
  bool negated = false;
  while (c.op() == Op::Not) {
    c = unwrap(c.args()[0]);
    negated = !negated;
  }
  std::optional<std::string> var;
  double k = 0;
  bool varOnLeft = false;
  if (c.op() == Op::FLt || c.op() == Op::FLe) {
    std::vector<Expr> s = c.args();
    for (int i = 0; i < 2 && !var; ++i) {
      auto v = inputOf(s[i]);
      auto kc = constantOf(s[1 - i]);
      if (v && kc && box_(*v)) {
        var = v;
        k = *kc;
        varOnLeft = i == 0;
      }
    }
  }
  std::optional<ErrorBound> br[2];
  auto [then, other] = branches(e);
  for (int i = 0; i < 2; ++i) {
    const Expr &branch = i ? other : then;
    if (!var) {
      br[i] = boundOf(branch);
      if (!br[i])
        return std::nullopt;
      continue;
    }
    // Taken when the comparison is (i == 0) != negated: x below k (x <= k)
    // if the variable is on the left and the comparison holds.
    bool holds = (i == 0) != negated;
    bool below = varOnLeft == holds;
    Box nb = *box_(*var);
    if (below)
      nb.hi = std::min(nb.hi, k);
    else
      nb.lo = std::max(nb.lo, k);
    if (nb.lo > nb.hi)
      continue; // never taken
    auto parent = box_;
    std::string name = *var;
    Rounding sub(
        [parent, name, nb](const std::string &v) -> std::optional<Box> {
          if (v == name)
            return nb;
          return parent(v);
        });
    sub.prove_ = prove_;
    sub.intDomain_ = intDomain_;
    sub.opaque_ = opaque_;
    br[i] = sub.boundOf(branch);
    if (!br[i]) {
      fail(sub.why());
      return std::nullopt;
    }
  }
  if (!br[0] && !br[1]) {
    fail("a branch with no input taking either side");
    return std::nullopt;
  }
  if (!br[0] || !br[1])
    return br[0] ? br[0] : br[1];
  const ErrorBound &x = *br[0], &y = *br[1];
  ErrorBound z;
  z.lo = std::min(x.lo, y.lo);
  z.hi = std::max(x.hi, y.hi);
  z.err = std::max(x.err, y.err);
  z.abs = std::max(x.abs, y.abs);
  z.rel = std::max(x.rel, y.rel);
  z.nonneg = x.nonneg && y.nonneg;
  z.infAbove = std::min(x.infAbove, y.infAbove);
  if (x.signVar == y.signVar && x.signNeg == y.signNeg) {
    z.signVar = x.signVar;
    z.signNeg = x.signNeg;
  }
  return z;
}

const Rounding::CaseTable *Rounding::caseTable(const Expr &ite) {
  auto known = cases_.find(ite.id());
  if (known != cases_.end())
    return known->second.second ? &*known->second.second : nullptr;
  auto build = [&]() -> std::optional<CaseTable> {
    if (!intDomain_)
      return std::nullopt;
    std::vector<Expr> vs = ite.args()[0].vars();
    if (vs.size() != 1 || !vs[0].isBV())
      return std::nullopt;
    const Expr &v = vs[0];
    auto dom = intDomain_(v.varName());
    if (!dom || dom->second < dom->first ||
        static_cast<__int128>(dom->second) - dom->first >= kMaxCases)
      return std::nullopt;
    CaseTable t{v, {}, {}};
    unsigned steps = 0;
    for (int64_t val = dom->first; val <= dom->second; ++val) {
      Expr k = Expr::bvVal(static_cast<uint64_t>(val), v.bvWidth());
      // Follows the chain while its conditions read only v: each is then
      // a constant for this value (bit-vector arithmetic is exact, so the
      // computed and the ideal value take the same branch).
      Expr at = ite;
      while (at.op() == Op::Ite && !opaque_.count(at.id())) {
        std::vector<Expr> a = at.args();
        bool onlyV = true;
        for (const Expr &x : a[0].vars())
          onlyV = onlyV && x.same(v);
        if (!onlyV)
          break;
        std::optional<bool> taken =
            a[0].substitute({{v, k}}).simplify().asBool();
        if (!taken || ++steps > 65536)
          return std::nullopt;
        at = *taken ? a[1] : a[2];
      }
      t.vals.push_back(val);
      t.leaves.push_back(at);
    }
    return t;
  };
  auto &slot = cases_.emplace(ite.id(), std::make_pair(ite, build()))
                   .first->second.second;
  return slot ? &*slot : nullptr;
}

std::optional<ErrorBound> Rounding::boundCases(const CaseTable &t) {
  // For every input the variable takes one of the table's values, and the
  // computed and ideal values are both those of that value's leaf: the
  // hull of the leaves' bounds (each over the whole domain) holds.
  std::optional<ErrorBound> z;
  std::set<unsigned> seen;
  for (const Expr &leaf : t.leaves) {
    if (!seen.insert(leaf.id()).second)
      continue;
    auto b = boundOf(leaf);
    if (!b)
      return std::nullopt;
    if (!z) {
      z = b;
      continue;
    }
    z->lo = std::min(z->lo, b->lo);
    z->hi = std::max(z->hi, b->hi);
    z->err = std::max(z->err, b->err);
    z->abs = std::max(z->abs, b->abs);
    z->rel = std::max(z->rel, b->rel);
    z->nonneg = z->nonneg && b->nonneg;
    z->infAbove = std::min(z->infAbove, b->infAbove);
    if (z->signVar != b->signVar || z->signNeg != b->signNeg) {
      z->signVar = -1;
      z->signNeg = false;
    }
  }
  return z;
}

std::optional<Expr> Rounding::realCases(const CaseTable &t) {
  // ite(v == val_0, leaf_0, ite(v == val_1, leaf_1, ... leaf_last)) over
  // the domain's values in increasing order: the same shape for both
  // sides, whatever conditions selected the leaves (RealNormal reads it
  // as indicators). Outside the domain both sides take leaf_last, so the
  // real query needs no domain constraint for v.
  bool allSame = true;
  for (const Expr &leaf : t.leaves)
    allSame = allSame && leaf.same(t.leaves[0]);
  std::optional<Expr> r = toReal(t.leaves.back());
  if (!r || allSame)
    return r;
  for (size_t i = t.leaves.size() - 1; i-- > 0;) {
    auto x = toReal(t.leaves[i]);
    if (!x)
      return std::nullopt;
    Expr k = Expr::bvVal(static_cast<uint64_t>(t.vals[i]), t.var.bvWidth());
    r = Expr::ite(t.var.eq(k), *x, *r);
  }
  return r;
}

std::pair<Expr, Expr> Rounding::branches(const Expr &ite) {
  // A single comparison decides the nested tests of the same comparison
  // in each branch (paths merged as ite(c, a, ite(!c, b, stale)), say):
  // within the branch it is a constant.
  std::vector<Expr> a = ite.args();
  Expr c = unwrap(a[0]);
  bool negated = false;
  while (c.op() == Op::Not) {
    c = unwrap(c.args()[0]);
    negated = !negated;
  }
  if (c.op() != Op::FLt && c.op() != Op::FLe && c.op() != Op::FEq)
    return {a[1], a[2]};
  return {a[1].substitute({{c, Expr::boolVal(!negated)}}),
          a[2].substitute({{c, Expr::boolVal(negated)}})};
}

bool Rounding::exactCondition(const Expr &cond) {
  Expr c = unwrap(cond);
  if (decide(c))
    return true; // the same everywhere (no NaN, say)
  switch (c.op()) {
  case Op::True:
  case Op::False:
    return true;
  case Op::Not:
  case Op::And:
  case Op::Or:
    for (const Expr &x : c.args())
      if (!exactCondition(x))
        return false;
    return true;
  case Op::FLt:
  case Op::FLe:
  case Op::FEq: {
    std::string saved = why_;
    for (const Expr &x : c.args()) {
      auto b = boundOf(x);
      if (!b || b->err != 0 || b->abs != 0 || b->rel != 0 || b->mayBeInf()) {
        why_ = saved;
        return false;
      }
    }
    why_ = saved;
    return true;
  }
  default:
    return false;
  }
}

std::optional<Expr> Rounding::realCondition(const Expr &cond) {
  Expr c = unwrap(cond);
  if (auto d = decide(c))
    return Expr::boolVal(*d);
  std::vector<Expr> a = c.args();
  switch (c.op()) {
  case Op::True:
  case Op::False:
    return c;
  case Op::Not: {
    auto x = realCondition(a[0]);
    return x ? std::optional<Expr>(!*x) : std::nullopt;
  }
  case Op::And:
  case Op::Or: {
    std::vector<Expr> xs;
    for (const Expr &x : a) {
      auto r = realCondition(x);
      if (!r)
        return std::nullopt;
      xs.push_back(*r);
    }
    return c.op() == Op::And ? Expr::andAll(xs) : Expr::orAll(xs);
  }
  case Op::FLt:
  case Op::FLe:
  case Op::FEq: {
    auto x = toReal(a[0]), y = toReal(a[1]);
    if (!x || !y)
      return std::nullopt;
    // No NaN (bounded values): IEEE <, <=, == are the real ones (-0 == +0).
    return c.op() == Op::FLt   ? x->rlt(*y)
           : c.op() == Op::FLe ? x->rle(*y)
                               : x->eq(*y);
  }
  default:
    fail("a condition outside comparisons and not/and/or");
    return std::nullopt;
  }
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
    auto b = boundOf(a[0]);
    why_ = saved;
    return b && !b->mayBeInf() ? std::optional<bool>(false) : std::nullopt;
  }
  case Op::FLt:
  case Op::FLe: {
    std::string saved = why_;
    // A finite value against an infinite constant.
    for (int i = 0; i < 2; ++i) {
      std::optional<float> k = anyConstantOf(a[i]);
      if (!k || !std::isinf(*k))
        continue;
      auto other = boundOf(a[1 - i]);
      why_ = saved;
      if (!other || other->mayBeInf())
        return std::nullopt;
      // i == 0: inf < y / inf <= y; i == 1: y < inf / y <= inf.
      bool kBelow = *k < 0;
      return i == 0 ? kBelow : !kBelow;
    }
    auto x = boundOf(a[0]), y = boundOf(a[1]);
    why_ = saved;
    if (!x || !y || x->mayBeInf() || y->mayBeInf())
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
  // A shared subterm is a leaf (its value is the computed one).
  if (t.op() == Op::Ite && !opaque_.count(t.id())) {
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
  if (m.op() != Op::Ite || opaque_.count(m.id()))
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
  // Good enough: the divisor's relative error Ay/beta + Ry is small.
  auto good = [&](double beta) {
    return beta > 0 && up(b.abs / beta + b.rel) <= 0x1p-10;
  };
  if (good(bmin) || !prove_ || b.lo < 0 || b.mayBeInf())
    return bmin;
  std::string saved = why_;
  std::optional<Expr> r = toReal(divisor);
  why_ = saved;
  if (!r)
    return bmin;
  // 1 first (a softmax denominator, the argument of log_softmax's log).
  for (double beta : {1.0, b.hi / 16, b.hi / 1024, 1024 * b.abs}) {
    if (!(beta > bmin) || beta > b.hi || !good(beta))
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

std::vector<Expr> Rounding::commonSubterms(const Expr &c, const Expr &f) {
  // Every subterm of f, then c top-down: a compound float subterm of c that
  // f has too is taken whole (its own subterms are then not looked at).
  std::set<unsigned> inF;
  std::vector<Expr> keep, stack{f};
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!inF.insert(t.id()).second)
      continue;
    keep.push_back(t);
    for (const Expr &a : t.args())
      stack.push_back(a);
  }
  std::vector<Expr> out;
  std::set<unsigned> seen;
  stack = {c};
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!seen.insert(t.id()).second)
      continue;
    keep.push_back(t);
    std::vector<Expr> a = t.args();
    bool leaf = a.empty() || t.op() == Op::FromBits || t.op() == Op::FPNum;
    if (!t.same(c) && t.isFP() && !leaf && inF.count(t.id())) {
      out.push_back(t);
      continue;
    }
    for (const Expr &x : a)
      stack.push_back(x);
  }
  return out;
}

double Rounding::toleranceSlack(const ErrorBound &c, const ErrorBound &f,
                                double atol, double rtol) {
  // With |c^ - yc| <= Ac + Rc|yc|, |f^ - y| <= Af + Rf|y|, |yc - y| <= s
  // and t = |y|: |c^ - f^| <= Ac + Rc(t + s) + s + Af + Rf t, and
  // |f^| >= t - Af - Rf t. So s is allowed where
  //   h(t) = (atol - rtol Af - Ac - Af + t (rtol - rtol Rf - Rc - Rf))
  //          / (1 + Rc) >= s
  // for every t in [minAbs, maxAbs] of the reference, with either form
  // (abs, rel) or (err, 0) of each side: s = min over t of the largest h.
  struct Line {
    double a, b; // h(t) = a + b t
  };
  std::vector<Line> lines;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      double Ac = i ? c.err : c.abs, Rc = i ? 0 : c.rel;
      double Af = j ? f.err : f.abs, Rf = j ? 0 : f.rel;
      lines.push_back({(atol - rtol * Af - Ac - Af) / (1 + Rc),
                       (rtol - rtol * Rf - Rc - Rf) / (1 + Rc)});
    }
  double m = f.minAbs(), M = f.maxAbs();
  std::vector<double> ts{m, M};
  for (size_t i = 0; i < lines.size(); ++i)
    for (size_t j = i + 1; j < lines.size(); ++j) {
      double db = lines[i].b - lines[j].b;
      if (db == 0)
        continue;
      double t = (lines[j].a - lines[i].a) / db;
      if (t > m && t < M)
        ts.push_back(t);
    }
  double s = std::numeric_limits<double>::infinity();
  for (double t : ts) {
    double best = -std::numeric_limits<double>::infinity();
    for (const Line &l : lines)
      best = std::max(best, l.a + l.b * t);
    s = std::min(s, best);
  }
  // The doubles above are within a few ulps of every magnitude involved.
  double scale = atol + rtol * M + c.err + f.err + c.abs + f.abs +
                 (c.rel + f.rel + rtol) * M;
  return s - scale * 0x1p-40 - 0x1p-1000;
}

} // namespace ksynth::verify
