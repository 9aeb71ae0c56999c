// The driver of bench/solver_bench.py (not a test: DISABLED_, run only when
// the bench asks for it). For every dumped query (.smt2, as --dump-smt
// writes them) in $KSYNTH_SOLVER_BENCH_DIR it times the Z3 back end alone,
// the cvc5 back end alone and the portfolio (every query hard), each with
// a fresh solver and no cache or hunting, at $KSYNTH_SOLVER_BENCH_MS per
// query, and prints one line per query:
//   BENCH <file> z3 <answer> <s> cvc5 <answer> <s> portfolio <answer> <s> <who>
#include "solver/Expr.h"
#include "solver/Solver.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace ksynth::smt;

namespace {

const char *name(SatResult s) {
  return s == SatResult::Sat     ? "sat"
         : s == SatResult::Unsat ? "unsat"
                                 : "unknown";
}

} // namespace

TEST(SolverBench, DISABLED_DumpedQueries) {
  const char *dir = std::getenv("KSYNTH_SOLVER_BENCH_DIR");
  ASSERT_NE(dir, nullptr) << "set KSYNTH_SOLVER_BENCH_DIR";
  const char *ms = std::getenv("KSYNTH_SOLVER_BENCH_MS");
  SolverConfig cfg;
  cfg.timeoutMs = ms ? static_cast<unsigned>(std::atoi(ms)) : 20000;
  cfg.cache = false;
  cfg.hunt = false;
  cfg.portfolioMinNodes = 0;
  std::vector<std::filesystem::path> files;
  for (auto &e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".smt2")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto &f : files) {
    std::ifstream in(f);
    std::stringstream text;
    text << in.rdbuf();
    Query q = parseQueryScript(text.str(), f.filename().string());
    std::string line = "BENCH " + f.filename().string();
    for (const char *backend : {"z3", "cvc5", "portfolio"}) {
      SolverConfig c = cfg;
      c.backend = backend;
      QueryResult r = makeBackend(c)->check(q);
      char buf[128];
      std::snprintf(buf, sizeof buf, " %s %s %.3f", backend, name(r.status),
                    r.seconds);
      line += buf;
      if (std::string(backend) == "portfolio")
        line += " " + (r.solver.empty() ? std::string("-") : r.solver);
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
}
