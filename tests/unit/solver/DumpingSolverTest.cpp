// The dumping solver and the stack: every query becomes a replayable
// SMT-LIB2 file; the config is recorded.
#include "solver/Expr.h"
#include "solver/Solver.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using ksynth::smt::Expr;
using ksynth::smt::makeSolverStack;
using ksynth::smt::SatResult;
using ksynth::smt::SolverConfig;

namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path &p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// First line printed by the z3 binary on the file, "" if z3 is absent.
std::string runZ3(const fs::path &p) {
  if (std::system("command -v z3 >/dev/null 2>&1") != 0)
    return "";
  std::string cmd = "z3 -T:20 '" + p.string() + "' 2>&1";
  FILE *f = popen(cmd.c_str(), "r");
  if (!f)
    return "";
  char line[256] = {0};
  if (!std::fgets(line, sizeof line, f))
    line[0] = 0;
  pclose(f);
  std::string s = line;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    s.pop_back();
  return s;
}

fs::path freshDir(const std::string &name) {
  fs::path dir = fs::path(KSYNTH_BINARY_DIR) / "test-tmp" / name;
  fs::remove_all(dir);
  return dir / "nested"; // does not exist yet
}

TEST(DumpingSolver, WritesReplayableFiles) {
  fs::path dir = freshDir("dumping");
  SolverConfig cfg;
  cfg.timeoutMs = 10000;
  cfg.seed = 7;
  cfg.dumpDir = dir.string();
  auto s = makeSolverStack(cfg);

  Expr x = Expr::fpVar("x"), y = Expr::fpVar("y");
  Expr b = Expr::bvVar("b", 32);
  EXPECT_EQ(s->check({{x.fadd(y).ne(y.fadd(x)).implies(x.isNaN()),
                       Expr::fpFromBits(b).foeq(x)},
                      "sat query\nwith two lines"})
                .status,
            SatResult::Sat);
  EXPECT_EQ(s->check({{x.isNaN(), x.foeq(x)}, "unsat query"}).status,
            SatResult::Unsat);
  EXPECT_EQ(s->check({{}, "empty"}).status, SatResult::Sat);

  ASSERT_TRUE(fs::exists(dir / "q0001.smt2"));
  ASSERT_TRUE(fs::exists(dir / "q0002.smt2"));
  ASSERT_TRUE(fs::exists(dir / "q0003.smt2"));
  EXPECT_FALSE(fs::exists(dir / "q0004.smt2"));

  std::string q1 = readFile(dir / "q0001.smt2");
  EXPECT_EQ(q1.rfind("; label: sat query with two lines\n", 0), 0u) << q1;
  EXPECT_NE(q1.find("; config: {"), std::string::npos);
  EXPECT_NE(q1.find("\"seed\":7"), std::string::npos);
  EXPECT_NE(q1.find("\"timeout_ms\":10000"), std::string::npos);
  EXPECT_NE(q1.find("(declare-fun x () (_ FloatingPoint 8 24))"),
            std::string::npos)
      << q1;
  EXPECT_NE(q1.find("(check-sat)"), std::string::npos);
  EXPECT_NE(q1.find("; result: sat"), std::string::npos);
  std::string q2 = readFile(dir / "q0002.smt2");
  EXPECT_NE(q2.find("(check-sat)"), std::string::npos);
  EXPECT_NE(q2.find("; result: unsat"), std::string::npos);

  // Z3 itself reads the files and agrees.
  std::string z1 = runZ3(dir / "q0001.smt2");
  if (z1.empty())
    GTEST_SKIP() << "no z3 binary to replay the dumps";
  EXPECT_EQ(z1, "sat");
  EXPECT_EQ(runZ3(dir / "q0002.smt2"), "unsat");
  EXPECT_EQ(runZ3(dir / "q0003.smt2"), "sat");
}

TEST(SolverStack, CachesUnlessToldNot) {
  SolverConfig cfg;
  cfg.timeoutMs = 10000;
  Expr p = Expr::boolVar("p"), q = Expr::boolVar("q");
  auto cached = makeSolverStack(cfg);
  cached->check({{p && !p}, "1"});
  EXPECT_TRUE(cached->check({{q && !q}, "2"}).cached);
  EXPECT_EQ(cached->stats().cacheHits, 1u);

  cfg.cache = false;
  auto plain = makeSolverStack(cfg);
  plain->check({{p && !p}, "1"});
  EXPECT_FALSE(plain->check({{q && !q}, "2"}).cached);
  EXPECT_EQ(plain->stats().queries, 2u);
}

TEST(SolverConfig, ToJsonRecordsEverySetting) {
  SolverConfig cfg;
  cfg.timeoutMs = 1234;
  cfg.seed = 5;
  cfg.memoryMb = 512;
  cfg.cache = false;
  nlohmann::json j = cfg.toJson();
  EXPECT_EQ(j["timeout_ms"], 1234);
  EXPECT_EQ(j["seed"], 5);
  EXPECT_EQ(j["memory_mb"], 512);
  EXPECT_EQ(j["cache"], false);
  EXPECT_EQ(j["z3_version"], ksynth::smt::z3Version());
  EXPECT_EQ(ksynth::smt::z3Version().rfind("4.", 0), 0u);
}

} // namespace
