// The summation form (docs/rounding-level.md "The summation form") for sums
// too long for SumForm.h's polynomials: a float term built only of +, -,
// negation, products and quotients by constants, over input leaves and
// constants (a row sum or mean of 16384 elements, any order: left fold,
// tree, float4 lanes, a __local tree), read in time and memory linear in
// its DAG, never recursively (a left fold is 16384 deep).
//
// Every computed value is the exact one times (1 + d) per rounding, |d| <=
// u = 2^-24 (plus an absolute e, |e| <= 2^-150, per product or quotient:
// a sum that is subnormal is exact), valid because no intermediate can
// overflow (checked bottom-up over the leaves' boxes). Expanding, the root
// is sum_j x_j sum_{p: root -> x_j} w_p prod_{v on p} (1 + d_v) over the
// DAG's paths (w_p the product of the signs and constant factors on p), so
// with, top-down over the DAG (parents before children),
//   C(v) = sum_p w_p                     (the ideal coefficient),
//   W(v) = sum_p |w_p|,
//   B(v) = sum_p |w_p| ((1 + u)^{k_p} - 1) (k_p the roundings above v),
// |computed - sum_j C(x_j) x_j| <= sum_j B(x_j) |x_j| + e_0, each leaf's
// coefficients summed over its occurrences (equal reads are one leaf).
// This is SumForm's `ideal` and `err` restricted to linear terms, in one
// pass; `fitsSumForm` is SumForm::fits' test on them. Every bound is
// rounded up (a relative 2^-50 per step); the signed coefficients' own
// double rounding is carried in D (added to the error).
#pragma once

#include "solver/Expr.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::verify {

struct LinearSum {
  // Per leaf id (0 .. leaves-1): the ideal coefficient, its bound on the
  // rounding error and the error of the coefficient itself.
  std::vector<double> ideal, err, coefErr;
  // Per leaf, sum_p |w_p| (rounded up): of the reference, the weight of
  // the element in the summation form's M = sum_i |t_i| (an element read
  // by several terms counts each), and weight0 the constants' part.
  std::vector<double> weight;
  double weight0 = 0;
  // The constant part: ideal value and error bound (constants and the
  // absolute errors of products and quotients).
  double ideal0 = 0, err0 = 0;
  // Whether every leaf is bounded and no intermediate can overflow: only
  // then are `err` and `err0` bounds (the ideal coefficients are exact
  // facts about the term either way).
  bool bounded = true;
  std::string why; // why not bounded, or not a linear sum (nullopt)
};

// `leaf(e)`: the id of a float leaf term e (an input read), or nullopt
// where e is not one (the result's vectors reach the largest id seen; a
// missing entry is 0). `maxAbs(id)`: the largest |value| a leaf may
// take (HUGE_VAL where unbounded: NaN or infinity possible). nullopt
// (`why`) where the term is not such a linear sum.
std::optional<LinearSum> analyseLinearSum(
    const smt::Expr &root,
    const std::function<std::optional<size_t>(const smt::Expr &)> &leaf,
    const std::function<double(size_t)> &maxAbs, std::string &why);

// Whether |c^ - f^| <= atol + sumRtol * sum_j |f.ideal_j| |x_j| for every
// value of the leaves (within maxAbs): per leaf, the two errors plus the
// difference of the ideal coefficients must fit sumRtol |f.ideal_j|, what
// does not fit (times the leaf's largest magnitude) and the constant parts
// must fit atol. Both must be bounded. `why` says what did not fit.
bool fitsSumForm(const LinearSum &c, const LinearSum &f, double atol,
                 double sumRtol, const std::function<double(size_t)> &maxAbs,
                 const std::function<std::string(size_t)> &name,
                 std::string &why);

// The leaves whose ideal coefficients differ by more than the rounding
// errors and sumRtol could cover (a dropped, repeated or mis-weighted
// term), largest relative difference first, at most `most`.
std::vector<size_t> misweightedLeaves(const LinearSum &c, const LinearSum &f,
                                      double sumRtol, size_t most);

} // namespace ksynth::verify
