// What `ksynth synth` writes to --out: report.json (every candidate),
// report.md (a table and chart.svg, a hand-written SVG bar chart of the
// timed candidates with the proven ones highlighted), and the best proven
// kernel as best.cl with its manifest best.json (ready for `ksynth verify`).
#pragma once

#include "synth/Supervisor.h"

#include <string>

namespace ksynth::synth {

struct ReportContext {
  std::string specPath, device, outDir;
  double pytorchEagerUs = 0, pytorchCompileUs = 0;
  std::string benchShape; // "N=4194304"
};

nlohmann::json reportJson(const SynthResult &r, const ReportContext &c);
std::string reportMarkdown(const SynthResult &r, const ReportContext &c);
std::string chartSvg(const SynthResult &r);
// Writes all of them (best.* only when there is a best); files are
// replaced through a temporary name and a rename.
void writeReport(const SynthResult &r, const ReportContext &c);

} // namespace ksynth::synth
