// The built-in generator (offline, the default): lowers the spec graph to
// OpenCL C itself. Elementwise specs (Elementwise.h): the naive lowering,
// then fused schedules, first ordered by a cost model (bytes moved over the
// measured copy bandwidth, launches, work-items), then refined around the
// fastest proven candidate measured so far (one parameter changed at a
// time: vector width, elements per work-item, blocked/grid-stride order,
// work-group size). Row sums (RowReduce.h): one work-item per row, then one
// work-group per row with a __local tree reduction.
#pragma once

#include "synth/Elementwise.h"
#include "synth/Generator.h"

#include <map>
#include <memory>
#include <optional>
#include <set>

namespace ksynth::synth {

class BuiltinGenerator : public Generator {
public:
  // exhaustive: every schedule of the grid in cost order instead of the
  // guided search (for tests: every kernel the generator can emit).
  explicit BuiltinGenerator(bool exhaustive = false)
      : exhaustive_(exhaustive) {}
  std::string name() const override { return "builtin"; }
  std::vector<Candidate> propose(const Problem &p,
                                 const std::vector<Outcome> &history,
                                 size_t max) override;
  void observe(const Outcome &o) override;
  std::string unsupported() const override { return unsupported_; }

  // The cost model's estimate in microseconds (elementwise), exposed for
  // tests: lower is better, only the order matters.
  static double estimateUs(const Schedule &s, double numel, int tensors,
                           double copyGBps);

private:
  bool exhaustive_ = false;
  bool planned_ = false;
  std::optional<ElementwisePlan> plan_;
  std::string unsupported_;
  std::vector<Candidate> pendingOther_; // non-elementwise families
  bool naiveDone_ = false;
  std::set<Schedule> tried_;
  std::map<std::string, Schedule> byId_;
  std::set<Schedule> failed_; // refuted, unknown or failed to run
  std::map<Schedule, double> timeUs_;
  double numel_ = 0;
};

} // namespace ksynth::synth
