// Internal to solver/: the dumping solver with the solver config to record
// in every file (makeSolverStack knows it; the public makeDumpingSolver does
// not and records the Z3 version only).
#pragma once

#include "solver/Solver.h"

#include <nlohmann/json.hpp>

namespace ksynth::smt::detail {

std::unique_ptr<QuerySolver> makeDumpingSolver(std::unique_ptr<QuerySolver> s,
                                               const std::string &dir,
                                               const nlohmann::json &config);

// The query as a complete SMT-LIB2 script (declarations, assertions,
// (check-sat)).
std::string queryScript(const Query &q);

} // namespace ksynth::smt::detail
