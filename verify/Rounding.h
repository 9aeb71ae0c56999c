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

namespace ksynth::verify {

struct Box {
  double lo = 0, hi = 0;
};

struct ErrorBound {
  double lo = 0, hi = 0; // the ideal value lies in [lo, hi]
  double err = 0;        // |computed - ideal| <= err
  double minAbs() const { return lo > 0 ? lo : hi < 0 ? -hi : 0; }
  double maxAbs() const { return std::max(lo < 0 ? -lo : lo, hi < 0 ? -hi : hi); }
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

private:
  std::function<std::optional<Box>(const std::string &)> box_;
  // Keyed by AST id; the key term is held so that its id is not reused.
  std::map<unsigned, std::pair<smt::Expr, smt::Expr>> real_;
  std::map<unsigned, std::pair<smt::Expr, ErrorBound>> bounds_;
  std::map<std::string, Box> realVars_;
  std::string why_;
  bool fail(const std::string &why);
};

} // namespace ksynth::verify
