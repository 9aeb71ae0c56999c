// Solver settings: set in one place (here and the CLI flags that fill it)
// and recorded in every report (toJson).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ksynth::smt {

struct SolverConfig {
  unsigned timeoutMs = 20000; // per query, enforced by a watchdog
  unsigned seed = 0;        // Z3 random seed (smt.random_seed, sat.random_seed)
  unsigned memoryMb = 4096; // Z3 memory_max_size
  std::string dumpDir;      // non-empty: write every query as SMT-LIB2
  bool cache = true;
  bool hunt = true; // try concrete assignments before Z3
  // With a timeout: each Z3 check runs in a forked child that is killed at
  // the deadline (Z3 does not always honour an interrupt); false: in this
  // process, under the watchdog.
  bool fork = true;
  // The bottom of the stack: "z3" (the reference), "cvc5", or "portfolio"
  // (both on hard queries, first definite answer wins; solver/Solver.h).
  std::string backend = "z3";
  // Portfolio: queries with at least this many distinct subterms, or with
  // a rounding FP operation, go to both solvers; 0: every query.
  unsigned portfolioMinNodes = 2000;
  // Portfolio: wait for both answers on each hard query and compare them.
  bool portfolioCrossCheck = false;

  nlohmann::json toJson() const;
};

} // namespace ksynth::smt
