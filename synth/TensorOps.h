// Lowerings of tensor ops that the built-in generator proposes as a fixed
// list, naive first (the baseline): matmul of two 2-d float32 inputs or a
// batched matmul of two 3-d ones with the same batch (one work-item per
// output element; __local T x T tiles with zero-padded ragged edges), with
// the elementwise ops after it fused into its store (Epilogue.h: gemm +
// bias + gelu), matmul + softmax over rows (two launches; fused, one
// work-item per row; fused, one work-group per row), softmax over the last dim
// of a 2-d input (one work-item per row, two passes; one work-group per row
// with __local tree reductions for the max and the sum; log_softmax the same
// with the output (x - max) - log(sum)), layer_norm over the last dim without
// weight or bias (one work-item per row: mean, variance about it, output;
// one work-group per row with __local tree sums), rms_norm over the last
// dim with or without a weight (one work-item per row; one work-group per
// row with a __local tree sum of squares). Row reductions: RowReduce.h.
#pragma once

#include "synth/Candidate.h"

#include "spec/Spec.h"

#include <string>
#include <vector>

namespace ksynth::synth {

std::vector<Candidate> matmulCandidates(const spec::Spec &s, std::string &why);
std::vector<Candidate> softmaxCandidates(const spec::Spec &s, std::string &why);
std::vector<Candidate> layerNormCandidates(const spec::Spec &s,
                                           std::string &why);
std::vector<Candidate> rmsNormCandidates(const spec::Spec &s, std::string &why);
std::vector<Candidate> matmulSoftmaxCandidates(const spec::Spec &s,
                                               std::string &why);

} // namespace ksynth::synth
