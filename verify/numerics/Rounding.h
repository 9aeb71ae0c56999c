// Equivalence up to rounding (issue 4, level "rounding"):
//   * toReal: the ideal (infinitely precise) value of a float32 term, as a
//     real-arithmetic term over one real variable per input element;
//   * bound: a sound interval for that ideal value over the input boxes and
//     bounds on |computed - ideal| by forward error analysis, both an
//     absolute one and a relative + absolute one (abs + rel*|ideal|),
//     computed structurally, never by the solver. The rules and why they
//     are sound: docs/rounding-level.md.
// Branches are accepted when they are min/max patterns, decided by the
// value bounds, or compare only values computed exactly (then they are the
// same branch over the reals). Other branches, comparisons of inexact
// values and reinterpreted bits are outside this level ("not applicable",
// with why).
#pragma once

#include "solver/Expr.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ksynth::verify {

struct Box {
  double lo = 0, hi = 0;
};

struct ErrorBound {
  double lo = 0, hi = 0; // the ideal value lies in [lo, hi]
  double err = 0;        // |computed - ideal| <= err
  // Also |computed - ideal| <= abs + rel*|ideal| (err <= abs + rel*maxAbs()
  // always; the relative form is what keeps exp, sigmoid or softmax
  // outputs that span orders of magnitude within a relative tolerance).
  double abs = 0, rel = 0;
  bool nonneg = false; // the computed value is known to be >= 0 (or -0)
  // The ideal value has the sign of input variable `signVar` (an AST id),
  // flipped if signNeg: x, x*x*x, 0.04*x*x*x + x. -1: not known.
  long signVar = -1;
  bool signNeg = false;
  // The computed value may be +inf (float overflow), but only where the
  // ideal value is >= infAbove; wherever it is finite, the bounds above
  // hold. +infinity: never. bound() never returns such a value.
  double infAbove = std::numeric_limits<double>::infinity();

  double minAbs() const { return lo > 0 ? lo : hi < 0 ? -hi : 0; }
  double maxAbs() const {
    return std::max(lo < 0 ? -lo : lo, hi < 0 ? -hi : hi);
  }
  bool mayBeInf() const {
    return infAbove < std::numeric_limits<double>::infinity();
  }
};

class Rounding {
public:
  // box(varName): the range of the float input whose bits variable is
  // varName, or nullopt if it may be NaN/infinite/unbounded.
  explicit Rounding(std::function<std::optional<Box>(const std::string &)> box);

  std::optional<smt::Expr> toReal(const smt::Expr &fp);
  // Fails (nullopt, why()) where the term may be NaN or infinite.
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

  // intDomain(varName): the values [lo, hi] an integer input (an int64 or
  // bool input's bit-vector variable) takes over the declared domain, or
  // nullopt. With it, a branch whose condition reads only one such input
  // with at most kMaxCases values (cross_entropy's t == c, a gather's
  // offset == 4k) is a case table: the branch taken for each value, the
  // value exact (docs/rounding-level.md).
  using IntDomain = std::function<std::optional<std::pair<int64_t, int64_t>>(
      const std::string &)>;
  void setIntDomain(IntDomain d) { intDomain_ = std::move(d); }
  static constexpr int64_t kMaxCases = 256;

  // Subterms shared by both sides, each treated as an exact input whose
  // value lies in the given box (the range of its COMPUTED value, errors
  // included): both sides then see the same rounding errors of it, which
  // cancel (a layer norm's x - mean). Call before toReal/bound.
  void setOpaque(const std::vector<std::pair<smt::Expr, Box>> &terms);
  // The maximal float subterms of c that also occur in f, other than
  // inputs, constants and c itself (candidates for setOpaque).
  static std::vector<smt::Expr> commonSubterms(const smt::Expr &c,
                                               const smt::Expr &f);

  // The largest |real(c) - real(f)| for which the error bounds of c (the
  // candidate) and f (the reference) keep |c - f| <= atol + rtol*|f| for
  // every ideal reference value in [f.lo, f.hi]; negative: none.
  static double toleranceSlack(const ErrorBound &c, const ErrorBound &f,
                               double atol, double rtol);

private:
  std::optional<ErrorBound> boundOf(const smt::Expr &e); // may be +inf
  std::optional<ErrorBound> boundFunction(const smt::Expr &e);
  std::optional<ErrorBound> boundDivision(const smt::Expr &e, double ulps);
  std::optional<ErrorBound> boundPiecewise(const smt::Expr &e);
  // An ite chain whose conditions read only one integer input: for each
  // value of its domain (increasing), the subterm the chain selects.
  struct CaseTable {
    smt::Expr var;
    std::vector<int64_t> vals;
    std::vector<smt::Expr> leaves;
  };
  const CaseTable *caseTable(const smt::Expr &ite);
  std::optional<ErrorBound> boundCases(const CaseTable &t);
  std::optional<smt::Expr> realCases(const CaseTable &t);
  // Rounds an operation's exact result (on the computed operands) to
  // float32: 0.5 ulp is IEEE round to nearest.
  std::optional<ErrorBound> rounded(ErrorBound z, double ulps);

  // A condition decided by the value bounds (true/false), if it is.
  std::optional<bool> decide(const smt::Expr &cond);
  // Whether a condition compares only values computed exactly (then it is
  // the same condition over the reals), and that condition over the reals.
  bool exactCondition(const smt::Expr &cond);
  std::optional<smt::Expr> realCondition(const smt::Expr &cond);
  // An ite's two branches, each with the ite's comparison (if it is one)
  // replaced by its value there.
  std::pair<smt::Expr, smt::Expr> branches(const smt::Expr &ite);
  // ite(c, x, y) as min/max of x and y: +1 max, -1 min, 0 neither.
  int minMax(const smt::Expr &ite);
  // A lower bound on a positive divisor, 0 if none keeps it from zero.
  double divisorLowerBound(const smt::Expr &divisor, const ErrorBound &b);
  // Whether `a` is one of the values a (nested) max pattern `m` ranges over.
  bool isMaxOperand(const smt::Expr &m, const smt::Expr &a);

  // The leaves of nested max (kind 1) or min (kind -1) patterns.
  void collectLeaves(const smt::Expr &t, int kind, std::vector<smt::Expr> &out);

  std::function<bool(const smt::Expr &, double)> prove_;
  IntDomain intDomain_;
  // Keyed by the ite's AST id (held); nullopt: not a case table.
  std::map<unsigned, std::pair<smt::Expr, std::optional<CaseTable>>> cases_;
  std::map<std::string, smt::Expr> extremes_; // "r.max_<leaf ids>" -> var
  std::vector<smt::Expr> keepLeaves_;         // keeps those ids unique

  std::function<std::optional<Box>(const std::string &)> box_;
  std::map<unsigned, std::pair<smt::Expr, Box>> opaque_;
  std::vector<smt::Expr> facts_;
  // Keyed by AST id; the key term is held so that its id is not reused.
  std::map<unsigned, std::pair<smt::Expr, smt::Expr>> real_;
  std::map<unsigned, std::pair<smt::Expr, ErrorBound>> bounds_;
  std::map<std::string, Box> realVars_;
  std::string why_;
  bool fail(const std::string &why);
};

} // namespace ksynth::verify
