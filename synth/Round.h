// Hardware rounds on another machine (issue 14 item 3): `ksynth synth
// --emit-round DIR` verifies here and writes the proven candidates as bench
// jobs (DIR/jobs/<id>.json) with the state of the search (DIR/round.json);
// bench/gpu/run_on_gpu.sh DIR/jobs runs them on the GPU machine; `ksynth
// synth --resume DIR --results results.json` reads the timings back (and,
// with --emit-round DIR2, proposes and verifies the next round).
#pragma once

#include "synth/Supervisor.h"

#include <string>
#include <vector>

namespace ksynth::synth {

void writeRound(const std::string &dir, const SynthResult &r,
                const std::string &specPath, const std::string &benchShape);
// The outcomes of DIR/round.json. Throws UserError (InputError) if it is
// missing or does not belong to `s` (by name).
std::vector<Outcome> readRound(const std::string &dir, const spec::Spec &s);
// Fills the timing of every emitted outcome from `results` (keys
// "<id>.<run>.json", the run with the median median is taken; the worker
// checked the reference digests, so a wrong output is "refused"); PyTorch's
// times from the "pytorch.<run>.json" entries where present.
// The candidates' files are in DIR/candidates/<id>/ (written by the emit).
void applyResults(std::vector<Outcome> &outcomes, const std::string &roundDir,
                  const nlohmann::json &results, const spec::Spec &s,
                  double &eagerUs, double &compileUs);

Outcome outcomeFromJson(const nlohmann::json &j);

} // namespace ksynth::synth
