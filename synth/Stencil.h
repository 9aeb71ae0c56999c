// Lowerings of window ops that the built-in generator proposes as a fixed
// list, naive first (the baseline):
//  * conv2d of a batched [N, C, H, W] float32 input by a weight [O, C, kH,
//    kW] with constant kernel sizes (any stride, padding, dilation; groups
//    1; optional bias), direct, one work-item per output element, then
//    output tiling: a block of output channels and/or of output columns per
//    work-item (one input load serves a block of channels, one weight load
//    a block of columns), ragged blocks guarded. Padding taps are a +0
//    multiplied like any other (the spec's order: channels, rows, columns,
//    then the bias); loads are clamped into the input and selected, so a
//    work-item is one path. The elementwise ops after it are fused into the
//    store (Epilogue.h: conv + relu + bias).
//  * max_pool1d/2d and avg_pool1d/2d without padding (batched or not; any
//    stride, dilation): one work-item per output, then 2 or 4 outputs per
//    work-item along the last axis. max is the spec's `if (v > m ||
//    isnan(v)) m = v` from the first tap (a NaN wins, else the first
//    maximal tap), with `v != v` for isnan (the form the verifier matches
//    to the spec structurally); avg the left fold from +0 divided
//    by the window's size (IEEE divide).
#pragma once

#include "synth/Candidate.h"

#include "spec/Spec.h"

#include <string>
#include <vector>

namespace ksynth::synth {

std::vector<Candidate> conv2dCandidates(const spec::Spec &s, std::string &why);
std::vector<Candidate> poolCandidates(const spec::Spec &s, std::string &why);

} // namespace ksynth::synth
