#include "solver/Context.h"
#include "solver/DumpingSolver.h"
#include "solver/Solver.h"

namespace ksynth::smt {

std::unique_ptr<QuerySolver> makeBackend(const SolverConfig &cfg) {
  if (cfg.backend == "cvc5")
    return makeCvc5Solver(cfg);
  if (cfg.backend == "portfolio") {
    std::vector<PortfolioMember> members;
    members.push_back({"z3", makeZ3Solver(cfg)});
    // Inside the portfolio's own child, which is killed at the deadline:
    // cvc5 needs no second fork.
    SolverConfig inChild = cfg;
    inChild.fork = false;
    members.push_back({"cvc5", makeCvc5Solver(inChild)});
    PortfolioOptions o;
    o.timeoutMs = cfg.timeoutMs;
    o.memoryMb = cfg.memoryMb;
    o.minNodes = cfg.portfolioMinNodes;
    o.crossCheck = cfg.portfolioCrossCheck;
    o.dumpDir = cfg.dumpDir;
    return makePortfolioSolver(std::move(members), o);
  }
  KSYNTH_SMT_CHECK(cfg.backend == "z3",
                   "unknown solver back end '" + cfg.backend + "'");
  return makeZ3Solver(cfg);
}

std::unique_ptr<QuerySolver> makeSolverStack(const SolverConfig &cfg) {
  std::unique_ptr<QuerySolver> s = makeBackend(cfg);
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
