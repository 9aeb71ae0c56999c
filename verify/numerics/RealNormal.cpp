// The normal form of real-valued terms (RealNormal.h): polynomials over
// atoms with rational coefficients, their arithmetic, and the way back to
// SMT terms.
#include "verify/numerics/RealNormal.h"

#include "verify/numerics/Rounding.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

namespace {

// Z3 prints a real numeral as "2.0", "(/ 1.0 3.0)", "(- 2.0)", possibly
// nested, or as a decimal "0.25"; parsed exactly.
struct NumeralParser {
  const std::string &s;
  size_t i = 0;
  void skip() {
    while (i < s.size() && s[i] == ' ')
      ++i;
  }
  std::optional<Rational> number() {
    skip();
    __int128 n = 0, d = 1;
    bool digits = false, point = false;
    while (i < s.size() &&
           (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
      if (s[i] == '.') {
        if (point)
          return std::nullopt;
        point = true;
      } else {
        digits = true;
        if (__builtin_mul_overflow(n, 10, &n) ||
            __builtin_add_overflow(n, s[i] - '0', &n))
          return std::nullopt;
        if (point && __builtin_mul_overflow(d, 10, &d))
          return std::nullopt;
      }
      ++i;
    }
    if (!digits)
      return std::nullopt;
    return Rational::make(n, d);
  }
  std::optional<Rational> term() {
    skip();
    if (i >= s.size())
      return std::nullopt;
    if (s[i] != '(')
      return number();
    ++i;
    skip();
    if (i >= s.size())
      return std::nullopt;
    char op = s[i++];
    std::optional<Rational> r;
    if (op == '-') {
      auto x = term();
      if (x)
        r = x->neg();
    } else if (op == '/') {
      auto x = term(), y = term();
      if (x && y)
        if (auto inv = y->inverse())
          r = x->mul(*inv);
    }
    skip();
    if (!r || i >= s.size() || s[i] != ')')
      return std::nullopt;
    ++i;
    return r;
  }
};

std::optional<Rational> parseNumeral(const Expr &e) {
  std::string text = e.str();
  NumeralParser p{text};
  auto r = p.term();
  p.skip();
  if (!r || p.i != text.size())
    return std::nullopt;
  return r;
}

Rational one() { return Rational{1, 1}; }

// (= v k) or (= k v), v a bit-vector variable, k a numeral: returns v.
std::optional<Expr> indicatorVarOf(const Expr &c) {
  if (c.op() != Op::Eq)
    return std::nullopt;
  std::vector<Expr> a = c.args();
  if (a.size() != 2 || !a[0].isBV())
    return std::nullopt;
  for (int i = 0; i < 2; ++i)
    if (a[i].isConstVar() && a[1 - i].asUInt())
      return a[i];
  return std::nullopt;
}
bool isIndicatorCondition(const Expr &c) {
  return indicatorVarOf(c).has_value();
}
std::string indicatorVar(const Expr &c) { return indicatorVarOf(c)->varName(); }
uint64_t indicatorValue(const Expr &c) {
  std::vector<Expr> a = c.args();
  return a[0].isConstVar() ? *a[1].asUInt() : *a[0].asUInt();
}

} // namespace

// -------------------------------------------------------------- RealNormal

bool RealNormal::fail(const std::string &why) {
  if (why_.empty())
    why_ = why;
  return false;
}

bool RealNormal::isExp(int atom) const {
  const Atom &a = atoms_[static_cast<size_t>(atom)];
  return a.kind == Kind::Fn && a.name == "r.exp" && a.arg.size() == 1;
}

bool RealNormal::isAbs(int atom) const {
  const Atom &a = atoms_[static_cast<size_t>(atom)];
  return a.kind == Kind::Fn && a.name == "|abs|" && a.arg.size() == 1;
}

bool RealNormal::isInd(int atom) const {
  return atoms_[static_cast<size_t>(atom)].kind == Kind::Ind;
}

std::optional<RealNormal::Poly> RealNormal::absOf(const Poly &p) {
  // |0| = 0, |c| for a constant; else |p| = |c| * Abs(p/c), c the first
  // coefficient, so that |2a - 2b| and |b - a| share the atom.
  if (p.empty())
    return p;
  if (p.size() == 1 && p.begin()->first.empty()) {
    Poly r;
    Rational c = p.begin()->second;
    r.emplace(Monomial{}, c.num < 0 ? c.neg() : c);
    return r;
  }
  // |p| = |c| * |p/c|.
  Rational c = p.begin()->second;
  return atomOfMonic(Kind::Fn, "|abs|", p, c.num < 0 ? c.neg() : c);
}

std::optional<RealNormal::Poly> RealNormal::expandAbs(const Monomial &m,
                                                      const Rational &c) {
  // |q|^(2k + r) = q^(2k) |q|^r: even powers of an absolute value are
  // powers of its argument.
  Poly r;
  Monomial rest;
  std::vector<std::pair<int, int>> even; // (atom, 2k)
  for (const auto &[atom, e] : m) {
    if (isAbs(atom) && e >= 2) {
      even.emplace_back(atom, e - e % 2);
      if (e % 2)
        rest.emplace_back(atom, 1);
    } else {
      rest.emplace_back(atom, e);
    }
  }
  r.emplace(std::move(rest), c);
  for (const auto &[atom, k] : even) {
    Poly q = atoms_[static_cast<size_t>(atom)].arg[0];
    for (int i = 0; i < k; ++i) {
      auto t = mul(r, q);
      if (!t)
        return std::nullopt;
      r = std::move(*t);
    }
  }
  return r;
}

std::string RealNormal::keyOf(const Poly &p) const {
  // Atom ids are canonical within one RealNormal (atoms are interned by
  // their keys), so a key in terms of ids identifies a polynomial.
  std::string k;
  for (const auto &[m, c] : p) {
    k += c.str();
    for (const auto &[atom, e] : m)
      k += "*#" + std::to_string(atom) + "^" + std::to_string(e);
    k += ";";
  }
  return k;
}

std::optional<int> RealNormal::intern(Atom a) {
  std::string key;
  switch (a.kind) {
  case Kind::Var:
    key = "v " + a.name;
    break;
  case Kind::Opaque:
    key = "o " + std::to_string(a.term.id());
    break;
  case Kind::Fn:
    key = "f " + a.name + "(";
    for (const Poly &p : a.arg)
      key += keyOf(p) + ",";
    key += ")";
    break;
  case Kind::Recip:
    key = "r (" + keyOf(a.arg[0]) + ")";
    break;
  case Kind::Ind:
    // By variable and value: (= v k) and (= k v) are one atom, and atoms
    // of one variable differ exactly when their values do.
    key = "i " + a.name + "=" + std::to_string(indicatorValue(a.term));
    break;
  }
  auto it = byKey_.find(key);
  if (it != byKey_.end())
    return it->second;
  if (atoms_.size() >= limits_.atoms) {
    fail("normal form: too many atoms");
    return std::nullopt;
  }
  int id = static_cast<int>(atoms_.size());
  atoms_.push_back(std::move(a));
  byKey_.emplace(std::move(key), id);
  return id;
}

std::optional<RealNormal::Poly> RealNormal::atomPoly(int atom, int exponent) {
  Poly p;
  p[Monomial{{atom, exponent}}] = one();
  return p;
}

bool RealNormal::accumulate(Poly &r, const Monomial &m, const Rational &c) {
  auto it = r.find(m);
  if (it == r.end()) {
    r.emplace(m, c);
    return true;
  }
  auto s = it->second.add(c);
  if (!s)
    return fail("normal form: a coefficient overflows 128 bits");
  if (s->isZero())
    r.erase(it);
  else
    it->second = *s;
  return true;
}

std::optional<RealNormal::Poly> RealNormal::withinLimit(Poly r) {
  if (r.size() > limits_.monomials) {
    fail("normal form: too many monomials");
    return std::nullopt;
  }
  return r;
}

std::optional<RealNormal::Poly> RealNormal::add(const Poly &a, const Poly &b) {
  Poly r = a;
  for (const auto &[m, c] : b)
    if (!accumulate(r, m, c))
      return std::nullopt;
  return withinLimit(std::move(r));
}

std::optional<RealNormal::Poly> RealNormal::scale(const Poly &a,
                                                  const Rational &c) {
  Poly r;
  if (c.isZero())
    return r;
  for (const auto &[m, x] : a) {
    auto y = x.mul(c);
    if (!y) {
      fail("normal form: a coefficient overflows 128 bits");
      return std::nullopt;
    }
    r.emplace(m, *y);
  }
  return r;
}

std::optional<RealNormal::Monomial>
RealNormal::mulMono(const Monomial &a, const Monomial &b, bool *zero) {
  // Merge by atom id, adding exponents; exp factors are collected into one
  // argument sum: exp(u)^i * exp(v)^j = exp(i*u + j*v).
  Monomial out;
  std::optional<Poly> expArg;
  auto takeExp = [&](int atom, int e) -> bool {
    auto scaled =
        scale(atoms_[static_cast<size_t>(atom)].arg[0], Rational{e, 1});
    if (!scaled)
      return false;
    if (!expArg) {
      expArg = std::move(*scaled);
      return true;
    }
    expArg = add(*expArg, *scaled);
    return expArg.has_value();
  };
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int atom, e;
    if (j >= b.size() || (i < a.size() && a[i].first < b[j].first)) {
      atom = a[i].first;
      e = a[i++].second;
    } else if (i >= a.size() || b[j].first < a[i].first) {
      atom = b[j].first;
      e = b[j++].second;
    } else {
      atom = a[i].first;
      e = a[i++].second + b[j++].second;
    }
    if (e == 0)
      continue;
    if (isInd(atom)) {
      // [c]^n = [c]; two indicators of one variable at different values
      // (different atoms) are never both 1.
      if (e < 0) {
        fail("normal form: division by an indicator");
        return std::nullopt;
      }
      for (const auto &[other, oe] : out)
        if (isInd(other) && atoms_[static_cast<size_t>(other)].name ==
                                atoms_[static_cast<size_t>(atom)].name) {
          if (zero)
            *zero = true;
          return Monomial{};
        }
      out.emplace_back(atom, 1);
      continue;
    }
    if (isExp(atom)) {
      if (!takeExp(atom, e))
        return std::nullopt;
      continue;
    }
    if (e > limits_.exponent || -e > limits_.exponent) {
      fail("normal form: an exponent beyond the limit");
      return std::nullopt;
    }
    out.emplace_back(atom, e);
  }
  if (expArg && !expArg->empty()) {
    Atom x{Kind::Fn, "r.exp", {std::move(*expArg)}, Expr()};
    auto id = intern(std::move(x));
    if (!id)
      return std::nullopt;
    out.emplace_back(*id, 1);
    std::sort(out.begin(), out.end());
  }
  if (out.size() > limits_.factors) {
    fail("normal form: a monomial with too many factors");
    return std::nullopt;
  }
  return out;
}

std::optional<RealNormal::Poly> RealNormal::mul(const Poly &a, const Poly &b) {
  products_ += a.size() * b.size();
  if (products_ > limits_.products) {
    fail("normal form: too much work");
    return std::nullopt;
  }
  Poly r;
  for (const auto &[ma, ca] : a)
    for (const auto &[mb, cb] : b) {
      bool zero = false;
      auto m = mulMono(ma, mb, &zero);
      if (!m)
        return std::nullopt;
      if (zero)
        continue;
      auto c = ca.mul(cb);
      if (!c) {
        fail("normal form: a coefficient overflows 128 bits");
        return std::nullopt;
      }
      bool evenAbs = false;
      for (const auto &[atom, e] : *m)
        evenAbs = evenAbs || (e >= 2 && isAbs(atom));
      if (evenAbs) {
        auto x = expandAbs(*m, *c);
        auto s = x ? add(r, *x) : std::nullopt;
        if (!s)
          return std::nullopt;
        r = std::move(*s);
        continue;
      }
      if (!accumulate(r, *m, *c))
        return std::nullopt;
    }
  return withinLimit(std::move(r));
}

std::optional<RealNormal::Poly> RealNormal::inverse(const Poly &p) {
  // Only for divisors the caller's domain keeps non-zero (see the header).
  if (p.empty()) {
    fail("normal form: division by a polynomial that is identically 0");
    return std::nullopt;
  }
  if (p.size() == 1) {
    // 1/(c * prod a_i^e_i) = (1/c) * prod a_i^-e_i; 1/exp(u) = exp(-u).
    const auto &[m, c] = *p.begin();
    auto ic = c.inverse();
    if (!ic) {
      fail("normal form: a zero coefficient");
      return std::nullopt;
    }
    Monomial inv;
    for (const auto &[atom, e] : m) {
      if (isInd(atom)) {
        fail("normal form: division by an indicator");
        return std::nullopt;
      }
      inv.emplace_back(atom, -e);
    }
    // Re-multiplying by the empty monomial normalises exp(u)^-1.
    auto norm = mulMono(inv, Monomial{});
    if (!norm)
      return std::nullopt;
    Poly r;
    r.emplace(std::move(*norm), *ic);
    return r;
  }
  // 1/p = (1/c) * 1/(p/c), c the first coefficient, so that 1/(2a + 2b)
  // and (1/2) * 1/(a + b) have one normal form.
  auto ic = p.begin()->second.inverse();
  if (!ic) {
    fail("normal form: a zero coefficient");
    return std::nullopt;
  }
  return atomOfMonic(Kind::Recip, "", p, *ic);
}

std::optional<RealNormal::Poly> RealNormal::atomOfMonic(Kind kind,
                                                        const std::string &name,
                                                        const Poly &p,
                                                        const Rational &k) {
  auto ic = p.begin()->second.inverse();
  if (!ic) {
    fail("normal form: a zero coefficient");
    return std::nullopt;
  }
  auto monic = scale(p, *ic);
  if (!monic)
    return std::nullopt;
  auto id = intern(Atom{kind, name, {std::move(*monic)}, Expr()});
  if (!id)
    return std::nullopt;
  Poly r;
  r.emplace(Monomial{{*id, 1}}, k);
  return r;
}

std::optional<RealNormal::Poly> RealNormal::normalize(const Expr &real) {
  return norm(real);
}

std::optional<RealNormal::Poly> RealNormal::norm(const Expr &e) {
  auto it = memo_.find(e.id());
  if (it != memo_.end())
    return it->second.second;
  if (e.isNull() || !e.isReal()) {
    fail("normal form: not a real term");
    return std::nullopt;
  }
  std::optional<Poly> r;
  Op op = e.op();
  std::vector<Expr> a = e.args();
  if (op == Op::RealNum) {
    auto c = parseNumeral(e);
    if (!c) {
      fail("normal form: a numeral beyond 128 bits (" + e.str().substr(0, 40) +
           ")");
      return std::nullopt;
    }
    r = Poly{};
    if (!c->isZero())
      r->emplace(Monomial{}, *c);
  } else if (op == Op::Var) {
    auto id = intern(Atom{Kind::Var, e.varName(), {}, e});
    if (!id)
      return std::nullopt;
    r = atomPoly(*id);
  } else if (op == Op::UF) {
    std::vector<Poly> args;
    for (const Expr &x : a) {
      auto p = x.isReal() ? norm(x) : std::nullopt;
      if (!p) {
        fail("normal form: a function of a non-real argument");
        return std::nullopt;
      }
      args.push_back(std::move(*p));
    }
    std::string name = e.ufName();
    if (name == "r.exp" && args.size() == 1) {
      if (args[0].empty()) { // exp(0) = 1
        r = Poly{};
        r->emplace(Monomial{}, one());
      } else {
        auto id = intern(Atom{Kind::Fn, name, std::move(args), Expr()});
        if (!id)
          return std::nullopt;
        r = atomPoly(*id);
      }
    } else if (name == "r.log" && args.size() == 1 && args[0].size() == 1 &&
               args[0].begin()->second == one() &&
               args[0].begin()->first.size() == 1 &&
               args[0].begin()->first[0].second == 1 &&
               isExp(args[0].begin()->first[0].first)) {
      // log(exp(u)) = u.
      r = atoms_[static_cast<size_t>(args[0].begin()->first[0].first)].arg[0];
    } else {
      auto id = intern(Atom{Kind::Fn, name, std::move(args), Expr()});
      if (!id)
        return std::nullopt;
      r = atomPoly(*id);
    }
  } else if (op == Op::Other && a.size() == 2 && a[0].isReal() &&
             a[1].isReal()) {
    // Real arithmetic has no name in the term view: an operation is the one
    // whose constructor rebuilds this very (hash-consed) term.
    auto x = norm(a[0]);
    if (!x)
      return std::nullopt;
    auto y = norm(a[1]);
    if (!y)
      return std::nullopt;
    if (e.same(a[0].radd(a[1]))) {
      r = add(*x, *y);
    } else if (e.same(a[0].rsub(a[1]))) {
      auto ny = scale(*y, Rational{-1, 1});
      if (ny)
        r = add(*x, *ny);
    } else if (e.same(a[0].rmul(a[1]))) {
      r = mul(*x, *y);
    } else if (e.same(a[0].rdiv(a[1]))) {
      auto iy = inverse(*y);
      if (iy)
        r = mul(*x, *iy);
    } else {
      auto id = intern(Atom{Kind::Opaque, "", {}, e});
      if (id)
        r = atomPoly(*id);
    }
  } else if (op == Op::Other && a.size() == 1 && a[0].isReal() &&
             e.same(a[0].rneg())) {
    auto x = norm(a[0]);
    if (x)
      r = scale(*x, Rational{-1, 1});
  } else if (op == Op::Ite && a.size() == 3 && a[1].isReal() && a[2].isReal() &&
             isIndicatorCondition(a[0])) {
    // ite(v == k, x, y) = I x + y - I y, I = [v == k].
    auto id = intern(Atom{Kind::Ind, indicatorVar(a[0]), {}, a[0]});
    auto x = id ? norm(a[1]) : std::nullopt;
    auto y = x ? norm(a[2]) : std::nullopt;
    auto ind = y ? atomPoly(*id) : std::nullopt;
    auto ix = ind ? mul(*ind, *x) : std::nullopt;
    auto iy = ix ? mul(*ind, *y) : std::nullopt;
    auto niy = iy ? scale(*iy, Rational{-1, 1}) : std::nullopt;
    auto s = niy ? add(*ix, *y) : std::nullopt;
    if (s)
      r = add(*s, *niy);
  } else if (op == Op::Ite && a.size() == 3 && a[2].isReal() &&
             e.same(Expr::ite(a[2].rlt(Expr::realVal(0)), a[2].rneg(), a[2]))) {
    // |t|, as Rounding::toReal writes fabs.
    auto x = norm(a[2]);
    if (x)
      r = absOf(*x);
  } else {
    // Anything else (another ite, say): an opaque atom, equal only to
    // the very same term.
    auto id = intern(Atom{Kind::Opaque, "", {}, e});
    if (id)
      r = atomPoly(*id);
  }
  if (!r)
    return std::nullopt;
  memo_.emplace(e.id(), std::make_pair(e, *r));
  return r;
}

bool RealNormal::identical(const Expr &a, const Expr &b) {
  auto x = norm(a);
  if (!x)
    return false;
  auto y = norm(b);
  return y && *x == *y;
}

std::string RealNormal::printAtom(int id) const {
  const Atom &a = atoms_[static_cast<size_t>(id)];
  switch (a.kind) {
  case Kind::Var:
    return a.name;
  case Kind::Opaque:
    return "{" + a.term.str() + "}";
  case Kind::Fn: {
    std::string s = a.name + "(";
    for (size_t i = 0; i < a.arg.size(); ++i)
      s += (i ? ", " : "") + print(a.arg[i]);
    return s + ")";
  }
  case Kind::Recip:
    return "1/(" + print(a.arg[0]) + ")";
  case Kind::Ind:
    return "[" + a.term.str() + "]";
  }
  return "?";
}

std::string RealNormal::print(const Poly &p) const {
  if (p.empty())
    return "0";
  std::vector<std::string> monos;
  for (const auto &[m, c] : p) {
    std::vector<std::string> fs;
    for (const auto &[atom, e] : m)
      fs.push_back(printAtom(atom) + (e == 1 ? "" : "^" + std::to_string(e)));
    std::sort(fs.begin(), fs.end());
    std::string s = c.str();
    for (const std::string &f : fs)
      s += "*" + f;
    monos.push_back(s);
  }
  std::sort(monos.begin(), monos.end());
  std::string out;
  for (size_t i = 0; i < monos.size(); ++i)
    out += (i ? " + " : "") + monos[i];
  return out;
}

std::optional<Expr> RealNormal::toExpr(const Poly &p) {
  auto numeral = [](const Rational &c) -> std::optional<Expr> {
    const __int128 lim = std::numeric_limits<int64_t>::max();
    if (c.num > lim || c.num < -lim || c.den > lim)
      return std::nullopt;
    return Expr::realVal(static_cast<int64_t>(c.num),
                         static_cast<int64_t>(c.den));
  };
  std::function<std::optional<Expr>(int)> atomExpr =
      [&](int id) -> std::optional<Expr> {
    const Atom &a = atoms_[static_cast<size_t>(id)];
    switch (a.kind) {
    case Kind::Var:
    case Kind::Opaque:
      return a.term;
    case Kind::Fn: {
      std::vector<Expr> args;
      for (const Poly &x : a.arg) {
        auto t = toExpr(x);
        if (!t)
          return std::nullopt;
        args.push_back(*t);
      }
      if (isAbs(id))
        return Expr::ite(args[0].rlt(Expr::realVal(0)), args[0].rneg(),
                         args[0]);
      Expr t = Expr::uf(a.name, args);
      if (isExp(id))
        expTerms_.emplace_back(t, args[0]);
      return t;
    }
    case Kind::Recip: {
      auto t = toExpr(a.arg[0]);
      if (!t)
        return std::nullopt;
      return Expr::realVal(1).rdiv(*t);
    }
    case Kind::Ind:
      return Expr::ite(a.term, Expr::realVal(1), Expr::realVal(0));
    }
    return std::nullopt;
  };
  std::optional<Expr> sum;
  for (const auto &[m, c] : p) {
    auto t = numeral(c);
    if (!t) {
      fail("normal form: a coefficient beyond the solver's 64-bit numerals");
      return std::nullopt;
    }
    for (const auto &[atom, e] : m) {
      auto x = atomExpr(atom);
      if (!x)
        return std::nullopt;
      for (int k = 0; k < (e < 0 ? -e : e); ++k)
        t = e > 0 ? t->rmul(*x) : t->rdiv(*x);
    }
    sum = sum ? sum->radd(*t) : *t;
  }
  return sum ? *sum : Expr::realVal(0);
}

Expr RealNormal::expFacts() const {
  std::vector<Expr> fs;
  for (const auto &[t, u] : expTerms_) {
    fs.push_back(Expr::realVal(0).rlt(t));
    fs.push_back(!u.eq(Expr::realVal(0)) || t.eq(Expr::realVal(1)));
  }
  return Expr::andAll(fs);
}

RealNormal::SolverTerm RealNormal::forSolver(const Expr &real) {
  RealNormal n;
  auto p = n.normalize(real);
  std::optional<Expr> t = p ? n.toExpr(*p) : std::nullopt;
  if (!t)
    return {real, Expr::boolVal(true)};
  return {*t, n.expFacts()};
}

} // namespace ksynth::verify
