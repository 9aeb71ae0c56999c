#include "verify/core/Obligation.h"

namespace ksynth::verify {

const char *toString(ObligationKind k) {
  switch (k) {
  case ObligationKind::ProgramScopeState:
    return "program-scope-state";
  case ObligationKind::LocalMemoryLimit:
    return "local-memory-limit";
  case ObligationKind::BarrierDivergence:
    return "barrier-divergence";
  case ObligationKind::MemorySafety:
    return "memory-safety";
  case ObligationKind::UndefinedBehaviour:
    return "undefined-behaviour";
  case ObligationKind::InputModified:
    return "input-modified";
  case ObligationKind::WriteRace:
    return "write-race";
  case ObligationKind::DataRace:
    return "data-race";
  case ObligationKind::UninitializedRead:
    return "uninitialized-read";
  case ObligationKind::Coverage:
    return "coverage";
  case ObligationKind::Equivalence:
    return "equivalence";
  }
  return "?";
}

void ViolationLog::add(Violation v) {
  if (v.cond.isFalse())
    return;
  unsigned &n = perKind_[static_cast<unsigned>(v.kind)];
  // A definite violation (condition true) needs no company.
  if (n >= kMaxPerKind) {
    capped_ = true;
    return;
  }
  ++n;
  v_.push_back(std::move(v));
}

void ViolationLog::truncate(size_t n) {
  while (v_.size() > n) {
    --perKind_[static_cast<unsigned>(v_.back().kind)];
    v_.pop_back();
  }
}

std::vector<ObligationKind> obligationsFrom(ObligationKind first,
                                            ObligationKind last) {
  std::vector<ObligationKind> out;
  for (int k = static_cast<int>(first); k <= static_cast<int>(last); ++k)
    out.push_back(static_cast<ObligationKind>(k));
  return out;
}

} // namespace ksynth::verify
