// The input leaves of terms built by the symbolic work-item method
// (verify/methods/SymbolicItem.h, discharged in
// verify/discharge/SymbolicEquivalenceDischarge.h), for the levels that read
// input leaves as named variables: the rounding level
// (verify/numerics/Rounding.h recognises an input as FromBits of a bv32
// variable whose baseName is a spec input, "x[3]") and concrete evaluation
// (verify/numerics/IntervalEval.h).
//
// At one arbitrary work-item an input element is an array read
// select(in:x, i) at a symbolic index. Each distinct read becomes one
// variable "x[@k]" (k in order of first occurrence, so that the same
// question about two lanes of a float4 store reads the same): reads whose
// indices are the same term after simplification, or that `sameIndex` says
// are equal, share one variable. Equal reads denote equal values, so a
// property proved for every value of the variables (each in its domain
// box, independently) holds for the reads; two reads that may or may not
// be equal become two variables, which only loses precision. verify/
// internals.
#pragma once

#include "solver/Expr.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ksynth::verify {

struct SymbolicLeaf {
  std::string tensor;
  smt::Expr read;  // select(in:tensor, index), or the 0-d input's variable
  smt::Expr index; // null for a 0-d input
  smt::Expr var;   // bv32 "tensor[@k]" (the read's variable itself if 0-d)
};

struct SymbolicLeaves {
  std::vector<SymbolicLeaf> leaves;
  // Every read term (each spelling of an index) -> its leaf's variable.
  std::vector<std::pair<smt::Expr, smt::Expr>> renames;

  // The term with every read replaced by its variable.
  smt::Expr apply(const smt::Expr &t) const;
  // The leaf whose variable is `v` (by AST id), or nullptr.
  const SymbolicLeaf *leafOfVar(const smt::Expr &v) const;
};

// Whether index terms i and j certainly differ: they evaluate to different
// numerals at some small assignment of their bit-vector variables (not
// necessarily one the path allows). A cheap filter before a `sameIndex`
// question: skipping it where this says true makes two leaves of what may
// be one read, a loss of precision at most.
bool differAtSomePoint(const smt::Expr &i, const smt::Expr &j);

// The reads of 32-bit input arrays inputArray(t, 32) (t in `arrays`) and the
// bv32 variables named like a 0-d input (t in `scalars`) in `terms`.
// `sameIndex(i, j)` (optional) may merge reads of one array whose indices
// are different terms: it must only say true where i = j holds wherever the
// result is used.
SymbolicLeaves symbolicLeaves(
    const std::vector<smt::Expr> &terms, const std::set<std::string> &arrays,
    const std::set<std::string> &scalars,
    const std::function<bool(const smt::Expr &, const smt::Expr &)> &sameIndex =
        nullptr);

} // namespace ksynth::verify
