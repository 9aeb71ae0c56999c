// A solver timeout is reported as one (issue 11 finding): argmax over rows
// of 2^17, whose row loop is summarised and proved equal to the
// reference's fold by induction
// (verify/discharge/SymbolicEquivalenceDischarge.cpp), with the induction's
// query budget (Budgets::foldQueryMs) cut to 1 ms so that those queries time
// out while the others do not. The verdict must be unknown of kind timeout,
// never approximation; with the default budget the same kernel is proved.
#include "verify/Verifier.h"

#include "spec/Manifest.h"
#include "spec/Spec.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

using namespace ksynth;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// tests/corpus/proved/argmax_long_if.cl
const char *kArgmaxIf = R"(
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    if (v > best || (isnan(v) && !isnan(best))) {
      best = v;
      idx = j;
    }
  }
  y[r] = idx;
})";

verify::Verdict run(unsigned foldQueryMs) {
  fs::path dir = fs::temp_directory_path() /
                 ("ksynth_induction_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "k.cl") << kArgmaxIf;
  spec::Spec s = spec::parseSpec(json::parse(R"({
    "inputs":  { "x": { "dtype": "float32", "shape": ["M", "N"] } },
    "ops": [ { "op": "argmax", "inputs": ["x"], "output": "y",
               "attrs": { "dim": 1 } } ],
    "outputs": ["y"],
    "domain":  { "x": "all" },
    "shapes":  [ { "M": 4099, "N": 131072 } ] })"),
                                 "spec.json");
  json m = {
      {"source", "k.cl"},
      {"launches",
       {{{"kernel", "k"}, {"args", {"x", "y", "N"}}, {"global", {"M"}}}}}};
  spec::Manifest man = spec::parseManifest(m, (dir / "m.json").string(), s);
  verify::VerifyOptions o;
  o.solver.timeoutMs = 20000;
  o.budgets.foldQueryMs = foldQueryMs;
  verify::Verdict v = verify::verify(s, man, o);
  fs::remove_all(dir);
  return v;
}

} // namespace

TEST(InductionTimeout, ATimedOutInductionIsATimeoutUnknown) {
  verify::Verdict v = run(1);
  std::printf("verdict %s (%s): %s\n", verify::toString(v.outcome),
              v.unknownKind.c_str(), v.reason.c_str());
  if (v.outcome == verify::Outcome::Unknown) {
    EXPECT_EQ(v.unknownKind, "timeout") << v.reason;
    EXPECT_NE(v.reason.find("timed out"), std::string::npos) << v.reason;
  } else {
    // Never refuted; proved only where every query of the induction
    // finished within 1 ms (then nothing timed out).
    EXPECT_EQ(v.outcome, verify::Outcome::Proved) << v.reason;
  }
}
