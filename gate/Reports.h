// The gate's reports (docs/gate.md "Reports"): the JSON report (the
// verdicts, one per pair, and what merging shards needs), JUnit XML, SARIF
// 2.1.0 and a Markdown summary; and reading JSON reports back for
// `ksynth gate merge`.
#pragma once

#include "gate/Pairs.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ksynth::gate {

// What became of one pair.
struct PairResult {
  Pair pair;
  nlohmann::json verdict; // the `ksynth verify --json` document
  std::string outcome;    // proved | refuted | unknown | error
  std::string status;     // pass | fail | warn (the gate's policy)
  std::string note;       // why it fails or warns (one line), or ""
  bool cached = false;
  double seconds = 0;
  nlohmann::json crosscheck; // null unless --crosscheck
};

// Run-wide facts: versions, options, seed, shard, every pair id of the
// unsharded set ("universe") so that merge can check coverage.
struct ReportMeta {
  nlohmann::json run; // {"ksynth_version", "llvm", "z3", "options", ...}
  std::vector<std::string> universe;
  std::string shard; // "I/N"
};

nlohmann::json toJsonReport(const std::vector<PairResult> &results,
                            const ReportMeta &meta);
// Reads one JSON report; throws UserError naming FILE when it is not one.
void fromJsonReport(const nlohmann::json &doc, const std::string &file,
                    std::vector<PairResult> &results, ReportMeta &meta);

std::string toJunit(const std::vector<PairResult> &results,
                    const ReportMeta &meta);
nlohmann::json toSarif(const std::vector<PairResult> &results,
                       const ReportMeta &meta);
std::string toMarkdown(const std::vector<PairResult> &results,
                       const ReportMeta &meta);

// One line describing a verdict: "refuted (equivalence): y[3] differs ...".
std::string verdictLine(const PairResult &r);

// Counts per outcome, cached, failed and warned.
struct Counts {
  int proved = 0, refuted = 0, unknown = 0, error = 0, cached = 0;
  int failed = 0, warned = 0;
};
Counts countResults(const std::vector<PairResult> &results);

} // namespace ksynth::gate
