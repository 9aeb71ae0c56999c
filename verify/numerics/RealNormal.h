// A normal form for the real terms of the rounding level (Rounding::toReal),
// so that two ideal values equal as rational functions, with exp's laws,
// compare equal without the solver (issue 4: online softmax, Welford).
//
// A normal form is a sum of monomials, each an exact rational coefficient
// times a product of atoms with non-zero integer exponents, in a canonical
// order (equal polynomials are equal objects and print identically). Atoms:
//   * real variables (inputs "real:x[3]", min/max sets "r.max_<ids>");
//   * applications of uninterpreted functions ("r.exp", "r.sqrt", ...) to
//     normal forms;
//   * 1/p for a polynomial p that is not a monomial, keyed by p's normal
//     form (p scaled so that its first coefficient is 1);
//   * any other real term (an ite, say), opaque, keyed by its AST.
// Rules, each an identity over the reals:
//   * field laws: +, -, * distribute; coefficients are exact rationals;
//   * x^a * x^b = x^(a+b); 1/(c * prod a_i^e_i) = (1/c) * prod a_i^-e_i;
//   * exp(a) * exp(b) = exp(a + b) (every monomial has at most one exp
//     factor, with exponent 1), exp(0) = 1, 1/exp(a) = exp(-a),
//     log(exp(a)) = a;
//   * |t| (fabs, as toReal writes it: ite(t < 0, -t, t)) is |c| * Abs(t/c),
//     c the first coefficient of t's normal form, and Abs(q)^(2k) = q^(2k)
//     (so |d| * |e| = d * e where e = c d with c >= 0: Welford's M2);
//   * ite(v == k, a, b), v a bit-vector variable and k a numeral (the case
//     tables Rounding::toReal writes for branches on integer inputs) is
//     I a + b - I b with the indicator atom I = [v == k]; I^n = I (n >= 1)
//     and [v == j][v == k] = 0 for j != k. A monomial with an indicator is
//     never inverted (no normal form).
// Not rules (they would be false): exp(a) + exp(b) is not exp(a + b);
// sqrt(x)^2 is left as it is.
//
// DOMAIN ASSUMPTION: the division rules (x * x^-1 = 1 for atoms, 1/(ab) =
// a^-1 b^-1, 1/(c p) = (1/c) (1/p)) hold where every divisor of the term is
// non-zero. The rounding level only translates divisions whose divisor it
// has proved non-zero over the whole input domain: Rounding::bound rejects
// an FDiv or cl.div whose divisor's interval may contain 0 ("a divisor may
// be zero"), and provedUpToRounding requires bound() of both sides, which
// visits the same subterms toReal translated. Two terms with identical
// normal forms are therefore equal at every point of that domain. (A
// branch the rounding level bounds piecewise, each side only where it is
// taken, keeps its divisors non-zero only there: such an ite stays an
// opaque atom, never looked into; |t| is looked into, and bound() bounds
// its t over the whole domain; so are a case table's leaves, each bounded
// over the whole domain, so the indicator rule's a and b keep their
// divisors non-zero everywhere.) A caller with other terms must establish
// the same before trusting identical().
//
// Gives up (no normal form, why() says so) on rational overflow (128-bit
// numerators and denominators), on size limits and on terms it cannot
// read; the caller then falls back to the solver.
#pragma once

#include "solver/Expr.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ksynth::verify {

class Rounding;

// An exact rational with 128-bit parts; every operation reports overflow.
struct Rational {
  __int128 num = 0, den = 1; // den > 0, gcd(num, den) = 1
  static std::optional<Rational> make(__int128 n, __int128 d);
  std::optional<Rational> add(const Rational &o) const;
  std::optional<Rational> mul(const Rational &o) const;
  std::optional<Rational> inverse() const; // nullopt for 0
  Rational neg() const { return {-num, den}; }
  bool isZero() const { return num == 0; }
  bool operator==(const Rational &o) const {
    return num == o.num && den == o.den;
  }
  bool operator!=(const Rational &o) const { return !(*this == o); }
  std::string str() const;
};

class RealNormal {
public:
  struct Limits {
    size_t monomials = 4096;  // per polynomial
    size_t factors = 64;      // atoms per monomial
    int exponent = 64;        // |exponent| of an atom
    size_t atoms = 50000;     // interned atoms in all
    size_t products = 200000; // monomial products in all
  };
  // A monomial: (atom id, exponent != 0), sorted by atom id.
  using Monomial = std::vector<std::pair<int, int>>;
  using Poly = std::map<Monomial, Rational>; // no zero coefficients

  RealNormal() = default;
  explicit RealNormal(Limits l) : limits_(l) {}

  // The normal form of a real term; nullopt (and why()) if none.
  std::optional<Poly> normalize(const smt::Expr &real);
  // Both have normal forms and they are identical (see the domain
  // assumption above).
  bool identical(const smt::Expr &a, const smt::Expr &b);
  // Canonical text, independent of the order atoms were met in.
  std::string print(const Poly &p) const;
  // The normal form as a real term (nullopt if a coefficient does not fit
  // the solver's int64 numerals), and true facts about the exp atoms it
  // builds (exp(a) > 0).
  std::optional<smt::Expr> toExpr(const Poly &p);
  smt::Expr expFacts() const; // exp(u) > 0 and u = 0 -> exp(u) = 1
  // For a solver query about a real term of the rounding level (a divisor's
  // lower bound, say): the term in normal form, with expFacts() (true for
  // any u), or the term itself and true when it has no normal form. The
  // domain assumption above applies: only for terms whose divisors the
  // rounding level proved non-zero (Rounding::bound succeeded on them).
  struct SolverTerm {
    smt::Expr term, facts;
  };
  static SolverTerm forSolver(const smt::Expr &real);
  const std::string &why() const { return why_; }

private:
  // Ind: the indicator [v == k] of a bit-vector variable v and a numeral k
  // (name: v's name, term: the condition), 1 where it holds, else 0.
  enum class Kind { Var, Fn, Recip, Opaque, Ind };
  struct Atom {
    Kind kind;
    std::string name;      // Var: variable name; Fn: function name
    std::vector<Poly> arg; // Fn: arguments; Recip: {p}
    smt::Expr term;        // Var / Opaque: the term (kept alive)
  };

  std::optional<Poly> norm(const smt::Expr &e);
  std::optional<Poly> add(const Poly &a, const Poly &b);
  // r += c*m (a zero sum drops the monomial); false on coefficient overflow.
  bool accumulate(Poly &r, const Monomial &m, const Rational &c);
  // k * atom(kind, name, p / c), c the first coefficient of p: one atom
  // for every nonzero multiple of p (|2a + 2b| and 2|a + b| alike).
  std::optional<Poly> atomOfMonic(Kind kind, const std::string &name,
                                  const Poly &p, const Rational &k);
  // r, or nullopt (with why) when it has more monomials than the limit.
  std::optional<Poly> withinLimit(Poly r);
  std::optional<Poly> mul(const Poly &a, const Poly &b);
  std::optional<Poly> scale(const Poly &a, const Rational &c);
  std::optional<Poly> inverse(const Poly &p);
  // The product of two monomials: coefficient factor (1 unless exp rules
  // apply... always 1 here) and the monomial; nullopt on limits.
  // `zero`: set when the product is 0 ([v == j][v == k], j != k).
  std::optional<Monomial> mulMono(const Monomial &a, const Monomial &b,
                                  bool *zero = nullptr);
  std::optional<Poly> atomPoly(int atom, int exponent = 1);
  std::optional<int> intern(Atom a);
  std::string keyOf(const Poly &p) const;
  std::string printAtom(int id) const;
  bool isExp(int atom) const;
  bool isAbs(int atom) const;
  bool isInd(int atom) const;
  std::optional<Poly> absOf(const Poly &p);
  // c * m with every |q|^(2k) factor of m replaced by q^(2k).
  std::optional<Poly> expandAbs(const Monomial &m, const Rational &c);
  bool fail(const std::string &why);

  Limits limits_;
  std::vector<Atom> atoms_;
  std::unordered_map<std::string, int> byKey_;
  // AST id -> (term kept alive, normal form).
  std::unordered_map<unsigned, std::pair<smt::Expr, Poly>> memo_;
  // exp atoms toExpr built: (exp(u), u).
  std::vector<std::pair<smt::Expr, smt::Expr>> expTerms_;
  size_t products_ = 0;
  std::string why_;
};

// Before the rounding level (fp32 terms, not reals): folds the special
// values an online reduction starts from, where the other operands are
// provably finite (Rounding::bound succeeds on them, on a copy of the
// caller's Rounding so that its state and reasons are untouched):
//   fmax/fmin patterns with a NaN guard against -inf/+inf, comparisons and
//   NaN/infinity tests of finite values or of infinite constants,
//   -inf - y = -inf, y - (-inf) = +inf, -inf + y = -inf (y finite),
//   y - y = +0 (y finite, round to nearest), exp(-inf) = +0 (OpenCL C 1.2
//   section 7.5: C99 Annex F edge cases, exact; C99 for the reference),
//   y - (+0) = y, y + (+-0) = y, y * 1 = y / 1 = y, (+-0) * y = +0 and
//   fma(+-0, y, z) = z (y, z finite); Welford's M2 increment d * e (also
//   fused) as |d| * |e| where it is >= 0 whenever computed (see
//   welfordProduct in SpecialValueFold.cpp for the proof).
// The result has the same IEEE value as the input for every input of the
// domain, except that (+0) + y = y turns (+0) + (-0) = +0 into -0: a sign
// of zero, which the rounding level does not observe (it reads values as
// reals, and rejects sign tests, reinterpreted bits and divisors that may
// be zero). Only for the rounding level's use.
smt::Expr foldSpecialValues(const smt::Expr &fp, const Rounding &ra);

} // namespace ksynth::verify
