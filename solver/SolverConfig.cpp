#include "solver/SolverConfig.h"

#include "solver/Solver.h"

namespace ksynth::smt {

nlohmann::json SolverConfig::toJson() const {
  nlohmann::json j = {{"timeout_ms", timeoutMs},
                      {"seed", seed},
                      {"memory_mb", memoryMb},
                      {"cache", cache},
                      {"hunt", hunt},
                      {"fork", fork},
                      {"backend", backend},
                      {"z3_version", z3Version()}};
  if (backend != "z3")
    j["cvc5_version"] = cvc5Version();
  if (backend == "portfolio") {
    j["portfolio_min_nodes"] = portfolioMinNodes;
    j["portfolio_cross_check"] = portfolioCrossCheck;
  }
  return j;
}

} // namespace ksynth::smt
