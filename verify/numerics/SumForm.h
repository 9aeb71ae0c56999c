// The summation form of the tolerance (docs/spec-format.md "Tolerance",
// docs/rounding-level.md "The summation form"): |cand - ref| <= atol +
// sum_rtol * M, M = sum_i |t_i| over the terms the reference sums.
//
// `SumForm` proves it for one output element. Each side (a float term of
// additions, subtractions, negations, products of exact values, products
// and quotients by constants, fma) is read as three polynomials over the
// magnitudes |m_j| of its monomials (products of input variables):
//   * `ideal`: the exact real value, sum_j a_j m_j (the normal form: every
//     summation order of the same terms gives the same polynomial);
//   * `err`: |computed - ideal| <= sum_j e_j |m_j| (+ e_0), from the
//     standard model fl(z) = z(1 + d) + e, |d| <= u = 2^-24, |e| <= 2^-150
//     (products and quotients only: a subnormal sum is exact);
//   * `mag`: |ideal| <= sum_j g_j |m_j|.
// Then |c^ - f^| <= sum_j (e_j(c) + e_j(f) + |a_j(c) - a_j(f)|) |m_j|, and
// the reference's normal form gives sum_j |a_j(f)| |m_j| <= M (the triangle
// inequality over merged terms): the form holds where every coefficient
// fits sum_rtol * |a_j(f)|, what does not fit is charged to atol with the
// monomial's largest magnitude over the input box. A left fold of n terms
// has e_j <= gamma_{n-1} |a_j|, any other order (tree, blocked, two-phase)
// at most the same, so sum_rtol >= 2 gamma_n proves every reordering; a
// dropped, repeated or mis-weighted term leaves |a_j(c) - a_j(f)| = |a_j|
// (or more), which no sum_rtol < 1 covers. Every intermediate is checked
// not to overflow over the box (then neither side is infinite or NaN).
// Every error coefficient is rounded up (a relative 2^-50); the ideal
// coefficients' own double rounding is added to `err`.
#pragma once

#include "solver/Expr.h"
#include "verify/numerics/Rounding.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::verify {

// A monomial: the sorted names of its input variables ({}: the constant 1).
using Monomial = std::vector<std::string>;
// A polynomial: coefficient per monomial.
using MonoPoly = std::map<Monomial, double>;

struct SumTerms {
  MonoPoly ideal, err, mag;
};

class SumForm {
public:
  // The box of an input variable (by its bits variable's name); nullopt
  // where it is not a bounded float32 input (then not applicable).
  using BoxFn = std::function<std::optional<Box>(const std::string &)>;
  explicit SumForm(BoxFn box) : box_(std::move(box)) {}

  // The three polynomials of a float term; nullopt (why()) where the term
  // is not such a sum or may overflow over the box. A linear sum (inputs
  // scaled by constants: a row sum or mean) is read in one pass over its
  // DAG (verify/numerics/LinearSum.h; `mag` left empty, which `fits` does
  // not use), anything else recursively with a polynomial per subterm
  // (quadratic in the number of terms).
  std::optional<SumTerms> analyse(const smt::Expr &e);
  // Whether |c^ - f^| <= atol + sumRtol * M for every input of the box;
  // else `why` says what did not fit (the sum_rtol it would need).
  bool fits(const SumTerms &c, const SumTerms &f, double atol, double sumRtol,
            std::string &why) const;
  // max over the box of sum_j p_j |m_j| (p_j >= 0), rounded up.
  double maxOver(const MonoPoly &p) const;
  const std::string &why() const { return why_; }

private:
  std::optional<SumTerms> fail(const std::string &w) {
    if (why_.empty())
      why_ = w;
    return std::nullopt;
  }
  double maxAbs(const std::string &var) const;
  std::optional<SumTerms> analysePoly(const smt::Expr &e);
  std::optional<SumTerms> analyseLinear(const smt::Expr &e);
  BoxFn box_;
  std::map<std::string, size_t> leafIds_; // linear: input name -> leaf id
  std::vector<std::string> leafNames_;
  std::map<unsigned, SumTerms> memo_;
  std::string why_;
};

// The reference's sum of term magnitudes as a real term over the inputs:
// f flattened through +, -, negation and division by a constant n (mean),
// each leaf a term: an input x (|x|), a product a * b (|a| |b|, exact) or
// a constant. The same quantity spec::interpretMagnitudes computes in
// double. nullopt where f is not such a sum.
std::optional<smt::Expr> sumMagnitude(const smt::Expr &f);

} // namespace ksynth::verify
