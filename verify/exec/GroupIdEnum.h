// Path feasibility over the group ids by enumeration (the symbolic
// work-group method, verify/methods/SymbolicGroup.cpp): a work-item's path
// condition is mostly a conjunction of edge guards whose only variables
// are the group ids (`get_group_id(1) * 64 + 61 < M` at a fixed M), and
// every work-item of a tiled kernel asks a new one in every K tile. With a
// few thousand groups or fewer, each such conjunct is evaluated once at
// every group-id tuple in range (compiled by smt::ConcreteProgram, exact
// bit-vector semantics) and kept as a bit set; a conjunction is then
// decided by intersecting bit sets, without a solver query. Exact, not an
// approximation: the conjunction holds at some tuple in range iff its
// bit sets intersect. verify/ internals.
#pragma once

#include "solver/Expr.h"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace ksynth::verify {

class GroupIdEnum {
public:
  // `ids`: the group-id variables (bv64), `counts`: the number of groups
  // in each dimension. Enumeration is off when their product exceeds
  // kMaxTuples.
  GroupIdEnum(std::vector<smt::Expr> ids, std::vector<uint64_t> counts);

  // Whether `pc` holds at some group-id tuple in range: true or false
  // where decided exactly, nullopt where a conjunct mentions another
  // variable or cannot be compiled (unless the conjuncts over the group
  // ids alone already exclude every tuple: false).
  std::optional<bool> feasible(const smt::Expr &pc);

  static constexpr uint64_t kMaxTuples = uint64_t(1) << 16;

  // The value of the bit-vector term `t` (its only variables among the
  // group ids) at every group-id tuple in range, tuple t at [t] (the first
  // dimension varying fastest); nullopt where it has another variable,
  // cannot be compiled, or enumeration is off.
  std::optional<std::vector<uint64_t>> valuesOf(const smt::Expr &t) const;
  uint64_t tuples() const { return tuples_; }

private:
  const std::vector<uint64_t> *bitsOf(const smt::Expr &conjunct);

  std::vector<smt::Expr> ids_;
  std::vector<uint64_t> counts_;
  uint64_t tuples_ = 0;
  std::vector<unsigned> idVars_;
  // conjunct id -> bit set (empty optional: not over the group ids alone);
  // the conjuncts are kept alive (an AST id is reused once freed).
  std::map<unsigned, std::optional<std::vector<uint64_t>>> sets_;
  std::vector<smt::Expr> alive_;
};

// Race candidates of the symbolic work-group method by enumeration: for
// the index terms xs[i] (writes) and ys[j] (of one region, over the same
// group-id tuples as enumerated by `ex` and `ey`, each with its own id
// variables), the pairs (i, j) whose indices are equal at some tuples
// (tx, ty) in range with tx == ty (`sameGroup`) or tx != ty (two distinct
// groups). Pairs with an index that cannot be enumerated are all kept: the
// result says, per i, whether its pairs were enumerated, and lists the
// colliding j of those. Exact: a pair left out has unequal indices at
// every pair of tuples it ranges over.
struct IndexCollisions {
  std::vector<bool> enumerated;          // per i
  std::vector<std::vector<size_t>> with; // per i: colliding j (sorted)
};
IndexCollisions collidingIndices(const GroupIdEnum &ex,
                                 const std::vector<smt::Expr> &xs,
                                 const GroupIdEnum &ey,
                                 const std::vector<smt::Expr> &ys,
                                 bool sameGroup);

} // namespace ksynth::verify
