// Fast repeated concrete evaluation of one term: compiled once into a flat
// program (operands before users), then run many times with a few
// variables changing, in plain C++ (float32 with the host's IEEE arithmetic,
// round to nearest even; bit-vectors up to 64 bits, SMT-LIB semantics
// including division by zero). Used to evaluate a loop summary update by
// update (verify/numerics/Fold.h) where Z3's rewriter per iteration is too slow.
#pragma once

#include "solver/Expr.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::smt {

class ConcreteProgram {
public:
  // Reads of array variables: (array name, index) -> element bits.
  using ReadFn = std::function<uint64_t(const std::string &, uint64_t)>;

  // nullopt if `t` uses an operation the evaluator does not know, or a
  // variable outside `vars` (bit-vector, Bool or fp32 variables).
  static std::optional<ConcreteProgram> compile(const Expr &t,
                                                const std::vector<Expr> &vars);
  // The value's bits (Bool: 0/1; fp32: its bits, NaN as 0x7fc00000) for
  // the given variable values (fp32 variables as bits).
  uint64_t run(const std::vector<uint64_t> &vals, const ReadFn &read) const;

  struct Node; // solver/ internals

private:
  std::vector<std::shared_ptr<const Node>> nodes_;
};

} // namespace ksynth::smt
