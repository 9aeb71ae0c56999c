// Shared by `ksynth gate` (GateCommand.cpp) and `ksynth gate merge` /
// `ksynth cache` (GateMergeCommand.cpp): writing the report files, the
// summary and the exit policy (docs/gate.md "Exit codes").
#pragma once

#include "gate/Reports.h"

#include <string>
#include <vector>

namespace ksynth::cli {

struct GateReportFiles {
  std::string junit, sarif, json, markdown; // empty: not written
};

// Writes TEXT to PATH; UserError (usage) when it cannot.
void writeGateFile(const std::string &path, const std::string &text);
void writeGateReports(const GateReportFiles &files,
                      const std::vector<gate::PairResult> &results,
                      const gate::ReportMeta &meta);
// Counts, the slowest pairs, one line per failing pair, passed / FAILED.
void printGateSummary(const std::vector<gate::PairResult> &results,
                      double wallSeconds);
// 6 internal error or solver disagreement > 10 refuted or not as expected
// > 2 error > 5 only unknowns; 0 when nothing failed.
int gateExitCode(const std::vector<gate::PairResult> &results);

int cmdGateMerge(const std::vector<std::string> &args);

} // namespace ksynth::cli
