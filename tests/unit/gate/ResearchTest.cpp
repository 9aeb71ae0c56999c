// The gate's per-query statistics (gate/Research.h): the obligation and the
// encoding level of each dumped query, from its label and its theory.
#include "gate/Research.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ksynth::gate;

namespace {

struct Dump {
  fs::path dir;
  unsigned n = 0;
  Dump() {
    char t[] = "/tmp/ksynth-research-unit-XXXXXX";
    dir = ::mkdtemp(t);
  }
  ~Dump() { fs::remove_all(dir); }
  // One query as DumpingSolver writes it.
  void add(const std::string &label, const std::string &body) {
    char name[32];
    std::snprintf(name, sizeof name, "q%04u.smt2", ++n);
    std::ofstream(dir / name)
        << "; label: " << label << "\n; config: {\"z3_version\":\"4.8.12\"}\n"
        << "(set-option :rewriter.hi_fp_unspecified true)\n"
        << body << "(check-sat)\n; result: unsat 0.010 s\n";
  }
};

TEST(GateResearch, ObligationAndLevelOfEachQuery) {
  Dump d;
  d.add("memory-safety N=67", "(declare-fun g () (_ BitVec 64))\n"
                              "(assert (bvuge g #x0000000000000043))\n");
  d.add("equivalence y[3] N=67", "(declare-fun x () (_ BitVec 32))\n"
                                 "(assert (fp.isNaN ((_ to_fp 8 24) x)))\n");
  d.add("real equivalence", "(declare-fun r () Real)\n(assert (< r 0.0))\n");
  d.add("shrink coverage", "(declare-fun i () (_ BitVec 64))\n");
  d.add("feasible path N=16777216", "(declare-fun b () Bool)\n");
  d.add("hunt y N=16777216", "(declare-fun x () (_ BitVec 32))\n");
  d.add("something new", "(declare-fun b () Bool)\n");
  d.add("equivalence at level rounding", "(declare-fun x () (_ BitVec 32))\n");
  std::vector<QueryRecord> q = readQueryDump(d.dir.string());
  ASSERT_EQ(q.size(), 8u);
  EXPECT_EQ(q[0].obligation, "memory-safety");
  EXPECT_EQ(q[0].level, "structural");
  EXPECT_EQ(q[1].obligation, "equivalence");
  EXPECT_EQ(q[1].level, "bit-exact");
  EXPECT_EQ(q[2].obligation, "equivalence");
  EXPECT_EQ(q[2].level, "rounding");
  EXPECT_EQ(q[3].obligation, "coverage");
  EXPECT_EQ(q[4].obligation, "execution");
  EXPECT_EQ(q[5].obligation, "equivalence");
  EXPECT_EQ(q[6].obligation, "other");
  EXPECT_EQ(q[7].level, "rounding"); // named in the label
  nlohmann::json line = statsLine(q[1], "p");
  EXPECT_EQ(line["obligation"], "equivalence");
  EXPECT_EQ(line["level"], "bit-exact");
  EXPECT_EQ(line["result"], "unsat");
}

} // namespace
