// A generator that proposes the candidates of a folder (every DIR/*.json
// manifest with its "source"), once, and writes the feedback it receives,
// one JSON line per candidate, to a file: the way an outside generator (a
// person, a script, later an agent) takes part and reads its verdicts,
// counterexamples, compile errors and timings. `ksynth synth --from DIR`.
#pragma once

#include "synth/Generator.h"

namespace ksynth::synth {

class FilesGenerator : public Generator {
public:
  FilesGenerator(std::string dir, std::string feedbackPath)
      : dir_(std::move(dir)), feedbackPath_(std::move(feedbackPath)) {}
  std::string name() const override { return "files"; }
  std::vector<Candidate> propose(const Problem &p,
                                 const std::vector<Outcome> &history,
                                 size_t max) override;
  void observe(const Outcome &o) override;

private:
  std::string dir_, feedbackPath_;
  std::vector<Candidate> pending_;
  bool listed_ = false;
};

} // namespace ksynth::synth
