#include "solver/SolverConfig.h"

#include "solver/Solver.h"

namespace ksynth::smt {

nlohmann::json SolverConfig::toJson() const {
  return {{"timeout_ms", timeoutMs},  {"seed", seed}, {"memory_mb", memoryMb},
          {"cache", cache},           {"hunt", hunt}, {"fork", fork},
          {"z3_version", z3Version()}};
}

} // namespace ksynth::smt
