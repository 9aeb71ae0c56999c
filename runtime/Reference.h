// The reference outputs of one input set, as raw bytes, with bounded host
// memory (issue 17). A spec whose ops are all elementwise is evaluated one
// output element at a time straight from the input bytes into the output
// bytes (the same applyElementwise calls, broadcasting and float32 rounding
// as spec::interpret, so the bytes are identical), holding no tensor of
// 24-byte interpreter scalars. Other specs (tensor ops) go through
// spec::interpret, whose host memory referenceHostBytes() estimates so the
// caller can refuse before the cap instead of being killed.
#pragma once

#include "runtime/Job.h"
#include "spec/Spec.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ksynth::runtime {

// Input bytes by name (not owned), as hostBytes() makes them.
using InputBytes = std::map<std::string, const std::vector<uint8_t> *>;

// True when every op of the spec is elementwise (streamed evaluation).
bool streamsReference(const spec::Spec &s);

// Reference output bytes by output name.
std::map<std::string, std::vector<uint8_t>>
referenceBytes(const spec::Spec &s, const JobPlan &plan, const InputBytes &in);

// The summation form's magnitudes of every output element
// (spec::interpretMagnitudes on the set's inputs); empty for other
// tolerances.
std::map<std::string, std::vector<double>>
referenceMagnitudes(const spec::Spec &s, const JobPlan &plan,
                    const InputBytes &in);

// Host bytes referenceBytes() needs beyond the input bytes and its result:
// 0 when streamed; else the interpreter's tensors (inputs twice, every
// intermediate, outputs twice, 24 bytes an element).
uint64_t referenceHostBytes(const spec::Spec &s, const JobPlan &plan);

} // namespace ksynth::runtime
