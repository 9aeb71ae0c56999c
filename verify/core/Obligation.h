// Proof obligations: each records a condition whose satisfiability (over
// the declared input domain) means the obligation is violated.
#pragma once

#include "solver/Expr.h"
#include "verify/core/SourceLoc.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::verify {

enum class ObligationKind {
  ProgramScopeState,
  LocalMemoryLimit,  // __local bytes of a launch over the manifest's limit
  BarrierDivergence, // a barrier reached by some work-items of a group only
  MemorySafety,
  UndefinedBehaviour,
  InputModified,
  WriteRace,
  DataRace,
  UninitializedRead,
  Coverage,
  Equivalence,
};
const char *
toString(ObligationKind k); // the stable names of docs/verdict-format.md

// The order obligations are discharged in, by every method (the first
// refuted one is reported; docs/verdict-format.md, "Order"): the enum's
// order, written once here. Each method takes its part of it:
// obligationsFrom(MemorySafety, InputModified) and so on.
std::vector<ObligationKind> obligationsFrom(ObligationKind first,
                                            ObligationKind last);
// The obligations one executed path settles: a violation logged on it is
// certain whatever the path does later (memory safety, undefined
// behaviour, inputs modified).
inline bool settledByOnePath(ObligationKind k) {
  return k >= ObligationKind::MemorySafety &&
         k <= ObligationKind::InputModified;
}

struct Violation {
  ObligationKind kind;
  smt::Expr cond;     // SAT (with the domain) = violated
  std::string detail; // "x[67] read by work-item 66 (buffer has 67 elements)"
  std::string tensor; // the element involved, if any
  int64_t index = -1;
  // False where a satisfying assignment is not by itself a bug: LLVM poison
  // from a violated nsw/nuw/exact flag is undefined behaviour only when it
  // is used (a branch, an address, a stored value), and -O2 speculates such
  // operations (a select of two computed indices). Those give unknown.
  bool refutable = true;
  // Where in the kernel source (the executed instruction; for races the
  // first access, `other` the second; for barrier divergence the barrier
  // and, if the other work-item stops at a barrier too, that one).
  SourceLoc loc = {}, other = {};
};

// Barrier divergence: a work-item stops at `point` ("barrier #2 in k" or
// "return") when `pc` holds; a model of the violation picks two that
// differ, which names the work-items in the counterexample.
struct Stop {
  smt::Expr pc;
  uint32_t item = 0; // flat global id
  std::string point;
  SourceLoc loc = {}; // the barrier's (invalid for "return")
};

// Collects violations, capped per kind so a systematically broken kernel
// does not flood the solver.
class ViolationLog {
public:
  void add(Violation v);
  const std::vector<Violation> &all() const { return v_; }
  // Drops the violations added after the first `n` (a discarded attempt).
  void truncate(size_t n);
  bool capped() const { return capped_; }

private:
  std::vector<Violation> v_;
  static constexpr unsigned kMaxPerKind = 1u << 14;
  unsigned perKind_[16] = {};
  bool capped_ = false;
};

} // namespace ksynth::verify
