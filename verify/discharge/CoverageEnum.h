// Coverage of an output at one shape by running the store terms over every
// id: exact where each store's path condition and address are functions of
// the ids alone (a tile's edge guards), where the solver's inversion query
// is hard (addresses that mix several strides).
#pragma once

#include "solver/Expr.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace ksynth::verify {

struct StoreTerms {
  smt::Expr pc;    // the store happens
  smt::Expr index; // the element it writes (64-bit)
};

// nullopt when not applicable (a term reads memory or a variable other than
// `ids`, or prod(range) * stores exceeds maxWork, or the deadline passes);
// otherwise the first of the n elements that no store writes for any ids
// in [0, range), or -1 when every element is written.
std::optional<int64_t>
firstUnwritten(const std::vector<StoreTerms> &stores,
               const std::vector<smt::Expr> &ids,
               const std::vector<uint64_t> &range, int64_t n, uint64_t maxWork,
               std::chrono::steady_clock::time_point deadline);

} // namespace ksynth::verify
