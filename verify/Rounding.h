// Equivalence up to rounding (issue 4, level "rounding"):
//   * toReal: the ideal (infinitely precise) value of a float32 term, as a
//     real-arithmetic term over one real variable per input element;
//   * bound: a sound interval for that ideal value over the input boxes and
//     a bound on |computed - ideal| by forward error analysis
//     (|fl(x) - x| <= u|x| + eta per rounding, u = 2^-24, eta = 2^-150),
//     computed structurally, never by the solver.
// Terms with branches, comparisons, transcendental functions or
// reinterpreted bits are outside this level ("not applicable", with why).
#pragma once

#include "solver/Expr.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::verify {

struct Box {
  double lo = 0, hi = 0;
};

struct ErrorBound {
  double lo = 0, hi = 0; // the ideal value lies in [lo, hi]
  double err = 0;        // |computed - ideal| <= err
  double minAbs() const { return lo > 0 ? lo : hi < 0 ? -hi : 0; }
  double maxAbs() const {
    return std::max(lo < 0 ? -lo : lo, hi < 0 ? -hi : hi);
  }
};

class Rounding {
public:
  // box(varName): the range of the float input whose bits variable is
  // varName, or nullopt if it may be NaN/infinite/unbounded.
  explicit Rounding(std::function<std::optional<Box>(const std::string &)> box);

  std::optional<smt::Expr> toReal(const smt::Expr &fp);
  std::optional<ErrorBound> bound(const smt::Expr &fp);
  // Constraints lo <= r <= hi for the real variables toReal introduced.
  smt::Expr realDomain() const;
  const std::string &why() const { return why_; }

  // Facts the real-arithmetic query needs about the functions toReal
  // introduced (exp > 0, tanh in (-1, 1), ...).
  smt::Expr functionFacts() const;

  // Accuracy of a transcendental function, in ulps: OpenCL C 1.2's table
  // for the candidate's builtins ("cl.<fn>"), the assumption stated in every
  // verdict for the reference's ("<fn>": PyTorch's float32 functions within
  // 2 ulp, CUDA's documented bound). nullopt: not a known function.
  static std::optional<double> ulps(const std::string &uf);
  static std::string realName(const std::string &uf); // "cl.exp" -> "r.exp"

  // Asks the solver whether a real term is >= a bound over the domain (with
  // functionFacts): used when intervals are too loose to keep a divisor
  // away from zero (a softmax denominator is >= 1).
  void setProver(std::function<bool(const smt::Expr &, double)> prove) {
    prove_ = std::move(prove);
  }

private:
  // A condition decided by the value bounds (true/false), if it is.
  std::optional<bool> decide(const smt::Expr &cond);
  // ite(c, x, y) as min/max of x and y: +1 max, -1 min, 0 neither.
  int minMax(const smt::Expr &ite);
  // A lower bound on a positive divisor, 0 if none keeps it from zero.
  double divisorLowerBound(const smt::Expr &divisor, const ErrorBound &b);
  // Whether `a` is one of the values a (nested) max pattern `m` ranges over.
  bool isMaxOperand(const smt::Expr &m, const smt::Expr &a);

  // The leaves of nested max (kind 1) or min (kind -1) patterns.
  void collectLeaves(const smt::Expr &t, int kind, std::vector<smt::Expr> &out);

  std::function<bool(const smt::Expr &, double)> prove_;
  std::map<std::string, smt::Expr> extremes_; // "r.max_<leaf ids>" -> var
  std::vector<smt::Expr> keepLeaves_;         // keeps those ids unique

  std::function<std::optional<Box>(const std::string &)> box_;
  std::vector<smt::Expr> facts_;
  // Keyed by AST id; the key term is held so that its id is not reused.
  std::map<unsigned, std::pair<smt::Expr, smt::Expr>> real_;
  std::map<unsigned, std::pair<smt::Expr, ErrorBound>> bounds_;
  std::map<std::string, Box> realVars_;
  std::string why_;
  bool fail(const std::string &why);
};

} // namespace ksynth::verify
