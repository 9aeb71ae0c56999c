// Folds: the summary of a loop (or of a long reduction of the reference) as
// a state that starts at `inits` and is updated `trips` times by `steps`,
// the k-th update (k = 0, 1, ..., trips - 1) mapping the state `accs` to
// steps[j](accs, k). `results` are fresh variables that stand for the final
// state; a term that mentions them is read as "for the values the fold
// computes". Nothing else is known about a result variable: the names start
// with the approximation prefix ("approx#"), so a violation that depends on
// one is never reported as a refutation without concrete confirmation.
//
// Two folds compute the same final state when they are *equal by
// induction*: same trip count, same initial state, and the same update at
// every k below the trip count for every state (the state variables of the
// second are renamed to the first's). Then the result variables of one may
// replace the other's: the equality is exact (IEEE bit for bit), not up to
// rounding. verify/ internals.
#pragma once

#include "solver/Expr.h"
#include "verify/core/VarNames.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::verify {

struct Fold {
  std::string where;              // "loop at k.cl:5 of an arbitrary work-item"
  std::vector<smt::Expr> accs;    // state variables (fp32 or bit-vectors)
  std::vector<smt::Expr> inits;   // initial state, same sorts
  std::vector<smt::Expr> steps;   // next state over accs and k
  std::vector<smt::Expr> results; // final state variables
  smt::Expr k;                    // bv64 iteration number
  smt::Expr trips;                // bv64 number of updates
  // A range of the computed final state (single-state float folds), where
  // known: sound bounds of the rounded value, not of the ideal sum.
  std::optional<std::pair<double, double>> range;
  uint64_t iterationSteps = 0; // instructions of one iteration (candidate)
};

// Whether `t` mentions a result variable of any fold in `folds`.
bool mentionsFold(const smt::Expr &t, const std::vector<Fold> &folds);

// The folds of `folds` whose results `t` mentions.
std::vector<const Fold *> foldsIn(const smt::Expr &t,
                                  const std::vector<Fold> &folds);

// Tries to prove `a` and `b` equal by induction under `assume` (a Bool
// term: the path condition). `unsat(q)` must answer true only if q is
// unsatisfiable. On success returns the substitution a.results[i] ->
// b.results[perm[i]] (states may be listed in different orders; at most
// 3 state variables are permuted).
//
// Float states whose initial values differ (e.g. a start of -0.0f against
// +0) get a second chance: equal up to the sign of zero by induction (that
// relation holds initially and every update keeps it); then each result of
// `a` maps to b's, or to its negation where b's is a zero, by a Boolean
// var::choice(Choice::Approx, "zerosign", n) (an approximation: proofs hold
// for both choices, refutations through it need concrete confirmation).
// `why` (if given) receives, when they are not equal, which part was not
// proved equal: the number of values, the trip count, the initial state
// (with the two values where they are constants) or the update.
bool foldsEqual(const Fold &a, const Fold &b, const smt::Expr &assume,
                const std::function<bool(const smt::Expr &)> &unsat,
                std::vector<std::pair<smt::Expr, smt::Expr>> &subst,
                std::string *why = nullptr);

// Replaces, in `t`, the results of every fold of `cand` that equals (by
// induction) a fold of `ref` mentioned in `r`, by that fold's results.
// Returns the rewritten term; `matched` says how many folds were replaced.
smt::Expr unifyFolds(const smt::Expr &t, const smt::Expr &r,
                     const std::vector<Fold> &cand,
                     const std::vector<Fold> &ref, const smt::Expr &assume,
                     const std::function<bool(const smt::Expr &)> &unsat,
                     unsigned &matched, std::string *why = nullptr);

// Concrete evaluation (for counterexamples through folds): the bits of
// input element `index` of `tensor`.
using InputBits = std::function<uint32_t(const std::string &, uint64_t)>;

// `t` with `subst` applied and every read of an input array
// (select(in:tensor, i) at a numeral i) replaced by its bits, simplified to
// a numeral; nullopt if anything stays symbolic.
std::optional<smt::Expr>
evalConcrete(const smt::Expr &t,
             const std::vector<std::pair<smt::Expr, smt::Expr>> &subst,
             const InputBits &input);

// Adds to `subst` the concrete final states of the folds of `folds` that
// `t` needs (directly or through other folds' initial states and updates),
// computed update by update. False where one cannot be evaluated, runs
// more than `maxTrips` updates, or `deadline` passes.
bool evalFolds(const smt::Expr &t, const std::vector<Fold> &folds,
               std::vector<std::pair<smt::Expr, smt::Expr>> &subst,
               const InputBits &input, uint64_t maxTrips,
               std::chrono::steady_clock::time_point deadline);

} // namespace ksynth::verify
