// Row reductions (`sum`, `mean`, `max`, `min` over the last dim of a 2-d
// float32 input): one work-item per row (the naive lowering: the spec's
// left fold), then one work-group per row (64, 128 or 256 work-items) with
// strided partial results and a __local tree reduction.
#pragma once

#include "synth/Candidate.h"

#include "spec/Spec.h"

#include <string>
#include <vector>

namespace ksynth::synth {

// Every candidate for such a spec, naive first; empty with `why` otherwise.
std::vector<Candidate> rowReduceCandidates(const spec::Spec &s,
                                           std::string &why);

} // namespace ksynth::synth
