#include "solver/Context.h"
#include "solver/DumpingSolver.h"
#include "solver/Solver.h"

namespace ksynth::smt {

std::unique_ptr<QuerySolver> makeSolverStack(const SolverConfig &cfg) {
  std::unique_ptr<QuerySolver> s = makeZ3Solver(cfg);
  if (cfg.hunt)
    s = makeHuntingSolver(std::move(s), cfg.seed);
  if (cfg.cache)
    s = makeCachingSolver(std::move(s));
  if (!cfg.dumpDir.empty())
    s = detail::makeDumpingSolver(std::move(s), cfg.dumpDir, cfg.toJson());
  return s;
}

std::string z3Version() {
  unsigned major = 0, minor = 0, build = 0, revision = 0;
  Z3_get_version(&major, &minor, &build, &revision);
  return std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(build);
}

} // namespace ksynth::smt
