// `ksynth run --replay`: a verify counterexample (written by hand here, in
// docs/verdict-format.md's form) runs on the device and shows the mismatch.
#include "RuntimeTestSupport.h"

#include "runtime/Differential.h"
#include "support/Error.h"

#include <gtest/gtest.h>

namespace ksynth::runtime {
namespace {

using test::Candidate;

const char *kIdentity =
    "__kernel void ident(__global const float *x, __global float *y, int n) "
    "{ int i = get_global_id(0); if (i < n) y[i] = x[i]; }";

nlohmann::json verdict() {
  return nlohmann::json::parse(R"({
    "ksynth_version": "0.1.0", "verdict": "refuted", "exit_code": 10,
    "counterexample": {
      "obligation": "equivalence", "shape": {"N": 4},
      "inputs": {"x": {"dtype": "float32", "shape": [4],
                       "bits": ["0x00000000", "0x3f000000", "0xbf800000",
                                "0x40000000"]}},
      "output": "y", "index": [3], "flat_index": 3,
      "reference": {"value": "1", "bits": "0x3f800000"},
      "candidate": {"value": "2", "bits": "0x40000000"},
      "confirmed_by_interpreter": true}})");
}

TEST(Replay, CounterexampleReproducesOnTheDevice) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"), test::manifestFor("ident"),
              kIdentity);
  RunOptions o;
  o.worker = test::workerOptions();
  RunReport r = replayCounterexample(c.spec, c.manifest, c.source(), verdict(),
                                     "v.json", o);
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));
  ASSERT_TRUE(r.replay);
  EXPECT_FALSE(r.replay->deviceMatches);
  EXPECT_TRUE(r.replay->referenceAgreesWithVerdict);
  EXPECT_EQ(r.replay->reference, "1 (0x3f800000)");
  EXPECT_EQ(r.replay->device, "2 (0x40000000)");
  std::string text = formatRunReport(r, c.spec, c.manifest);
  EXPECT_NE(text.find("y[3] (flat 3): reference 1 (0x3f800000), device 2 "
                      "(0x40000000)  (DIFFER)"),
            std::string::npos)
      << text;
  // Only element 3 is wrong.
  EXPECT_EQ(r.sets.at(0).outputs.at(0).mismatched, 1);
}

// The sparse form of shapes verified by one arbitrary work-item: a default
// and the listed elements (docs/verdict-format.md).
TEST(Replay, SparseCounterexampleReproducesOnTheDevice) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"), test::manifestFor("ident"),
              kIdentity);
  RunOptions o;
  o.worker = test::workerOptions();
  nlohmann::json v = verdict();
  v["counterexample"]["inputs"]["x"] = nlohmann::json::parse(
      R"({"dtype": "float32", "shape": [4], "default": "0x3f000000",
          "elements": [{"index": 3, "bits": "0x40000000"}]})");
  RunReport r =
      replayCounterexample(c.spec, c.manifest, c.source(), v, "v.json", o);
  EXPECT_EQ(r.exitCode, toInt(ExitCode::Refuted));
  ASSERT_TRUE(r.replay);
  EXPECT_FALSE(r.replay->deviceMatches);
  EXPECT_EQ(r.replay->device, "2 (0x40000000)");
  // Elements 0..2 are the default 0.5: hardtanh keeps them.
  EXPECT_EQ(r.sets.at(0).outputs.at(0).mismatched, 1);
  v["counterexample"]["inputs"]["x"]["elements"][0]["index"] = 4;
  EXPECT_THROW(
      replayCounterexample(c.spec, c.manifest, c.source(), v, "v.json", o),
      UserError);
}

TEST(Replay, CorrectKernelDoesNotReproduce) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"),
              test::manifestFor("hardtanh"), test::kHardtanh);
  RunOptions o;
  o.worker = test::workerOptions();
  RunReport r = replayCounterexample(c.spec, c.manifest, c.source(), verdict(),
                                     "v.json", o);
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_TRUE(r.replay->deviceMatches);
  EXPECT_NE(r.message.find("not reproduced"), std::string::npos);
}

TEST(Replay, VerdictWithoutCounterexampleIsAnInputError) {
  Candidate c(test::hardtanhSpec(R"([{"N": 4}])"),
              test::manifestFor("hardtanh"), test::kHardtanh);
  RunOptions o;
  o.worker = test::workerOptions();
  nlohmann::json proved = {{"verdict", "proved"}};
  try {
    replayCounterexample(c.spec, c.manifest, c.source(), proved, "v.json", o);
    FAIL() << "no exception";
  } catch (const UserError &e) {
    EXPECT_EQ(e.code(), ExitCode::InputError);
    EXPECT_NE(std::string(e.what()).find("v.json: no counterexample"),
              std::string::npos);
  }
  nlohmann::json shortInputs = verdict();
  shortInputs["counterexample"]["inputs"]["x"]["bits"] = {"0x00000000"};
  EXPECT_THROW(replayCounterexample(c.spec, c.manifest, c.source(), shortInputs,
                                    "v.json", o),
               UserError);
}

} // namespace
} // namespace ksynth::runtime
