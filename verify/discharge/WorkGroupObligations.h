// The work-group obligations that verify/discharge/Discharge.cpp's fixed order
// does not list: local-memory-limit and barrier-divergence. They are discharged
// first (a divergent barrier makes everything after it meaningless), each
// violation by one query over the declared input domain; a satisfiable one
// becomes a counterexample with the model's inputs.
#pragma once

#include "verify/discharge/ShapeRun.h"

#include <optional>

namespace ksynth::verify {

std::optional<Counterexample> dischargeWorkGroupObligations(
    const spec::Spec &s, smt::QuerySolver &solver, ShapeRun &r,
    const std::vector<Stop> &stops, std::vector<ObligationResult> &out,
    std::string &unknownReason, std::string &unknownKind);

} // namespace ksynth::verify
