// Concrete interval evaluation of fp32 terms (issue 4: sound refutations
// through approximate operations).
//
// At concrete inputs, a term built by the executor or the symbolic
// reference is evaluated bottom-up. Exact IEEE operations on single values
// give single values (bit for bit what Z3 computes: round-to-nearest-even,
// subnormals kept, all NaNs one value). An approximate operation gives the
// set of every float32 its accuracy bound allows:
//   * "cl.<fn>" (the candidate's exp, log, tanh, ...) within OpenCL C's ulp
//     bound (Rounding::ulps), "cl.div" within 2.5 ulp;
//   * "<fn>" (the reference's transcendentals) within the ulp bound assumed
//     for PyTorch (Rounding::ulps);
//   * "approx#"/"nd#" variables (native_*, mad, implementation choices):
//     any value of their sort.
// OpenCL's special values are kept exact: a result whose exact value is
// infinite is infinite (log(+0) = -inf, exp(+inf) = +inf), and one whose
// exact value exceeds FLT_MAX by more than the ulp bound allows is +inf
// (exp(100) overflows whatever the implementation). Results that may be
// subnormal may also be flushed to zero. A float set is an interval of
// float32 values in the total order -inf < ... < -0 < +0 < ... < +inf,
// plus "may be NaN"; every operation over-approximates the set of results
// its operands allow, so a property of every member (e.g. "is NaN", "lies
// outside reference +- tolerance") holds for every allowed execution.
#pragma once

#include "solver/Expr.h"
#include "spec/Spec.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ksynth::verify {

struct FloatSet {
  bool hasNum = false; // some non-NaN value, all of them in [lo, hi]
  float lo = 0, hi = 0;
  bool nan = false; // NaN is a member

  static FloatSet none() { return {}; }
  static FloatSet point(float f);
  // Every float32 in [lo, hi] (total order, -0 < +0).
  static FloatSet range(float lo, float hi);
  static FloatSet any(); // every float32, NaN included
  static FloatSet nanOnly();

  bool empty() const { return !hasNum && !nan; }
  // Exactly one value (one float, or NaN alone).
  bool single() const;
  bool contains(float f) const;
  bool mayBeFinite() const;
  bool mayBeInf() const;
  FloatSet join(const FloatSet &o) const;
  // "[1, 2]", "3", "NaN", "[-inf, 5] or NaN"
  std::string str() const;
};

// Total order of non-NaN floats (-0 < +0): a monotone integer key.
int64_t floatKey(float f);

// The abstract value of a term: Bool (may be true / may be false),
// bit-vector (known bits or any), fp32 (a FloatSet).
struct IVal {
  enum class Sort { Bool, BV, FP, Other } sort = Sort::Other;
  bool mayTrue = true, mayFalse = true;
  std::optional<uint64_t> bits;
  unsigned width = 0;
  FloatSet f = FloatSet::any();

  static IVal boolean(bool mayTrue, bool mayFalse);
  static IVal bv(std::optional<uint64_t> bits, unsigned width);
  static IVal fp(FloatSet f);
  static IVal top(const smt::Expr &ofSortOf);
  // Known exactly (a single Bool, bit-vector or float value).
  bool known() const;
};

// The result set of an approximate function ("cl.exp", "exp", ...) over
// an argument set, with `ulps` accuracy; nullopt: not a known function.
std::optional<FloatSet> approxFunction(const std::string &uf,
                                       const FloatSet &arg);
// a / b correct to `ulps` (OpenCL's default division: 2.5).
FloatSet approxDiv(const FloatSet &a, const FloatSet &b, double ulps);
// Every float32 within `ulps` of an exact value in [vlo, vhi] (doubles,
// possibly infinite: an infinite exact value stays exact).
FloatSet widenUlps(double vlo, double vhi, double ulps);

// IEEE operations on sets (exact rounding to nearest-even of every member).
FloatSet setAdd(const FloatSet &a, const FloatSet &b);
FloatSet setSub(const FloatSet &a, const FloatSet &b);
FloatSet setMul(const FloatSet &a, const FloatSet &b);
FloatSet setDiv(const FloatSet &a, const FloatSet &b);
FloatSet setFma(const FloatSet &a, const FloatSet &b, const FloatSet &c);
FloatSet setSqrt(const FloatSet &a);
FloatSet setNeg(const FloatSet &a);
FloatSet setAbs(const FloatSet &a);

// Whether some candidate value in `cand` matches some reference value in
// `ref` under the spec's comparison (bit-exact, or atol + rtol*|ref| for
// finite values, NaN only with NaN, infinities only exactly). Conservative:
// true whenever a match cannot be ruled out. `mag`: the element's sum of
// term magnitudes for the summation form (atol + sum_rtol * mag; unknown,
// NaN: any finite values may match).
bool mayMatch(const spec::Tolerance &tol, const FloatSet &cand,
              const FloatSet &ref,
              double mag = std::numeric_limits<double>::quiet_NaN());

class IntervalEval {
public:
  // value(var): the concrete bits of an input variable, nullopt for any
  // other variable (approximations, implementation choices: any value).
  explicit IntervalEval(
      std::function<std::optional<uint64_t>(const smt::Expr &)> value);

  IVal eval(const smt::Expr &e);
  FloatSet evalFloat(const smt::Expr &e) { return eval(e).f; }
  // Whether an evaluated term used an approximation (a set, not a value).
  bool approximated() const { return approximated_; }

private:
  IVal evalNode(const smt::Expr &e, const std::vector<IVal> &args,
                const std::vector<smt::Expr> &argTerms);
  IVal fallback(const smt::Expr &e, const std::vector<IVal> &args,
                const std::vector<smt::Expr> &argTerms);

  std::function<std::optional<uint64_t>(const smt::Expr &)> value_;
  // Keyed by AST id; the term is held so that its id is not reused.
  std::unordered_map<unsigned, std::pair<smt::Expr, IVal>> memo_;
  bool approximated_ = false;
};

} // namespace ksynth::verify
