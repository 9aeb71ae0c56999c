// The parameters of every non-elementwise op, resolved against its operand
// types at one shape binding. Shape inference (spec/Shapes.cpp) reads
// `outDims` from them and the semantics (spec/ops/*.h) read the rest, so
// the two can never disagree. Each function validates its operands and
// attrs and throws UserError with a message that has no file or op prefix:
// "operand 2 is bool, expected float32", "input has 3 channels but weight
// expects 4 (groups 1)".
#pragma once

#include "spec/Spec.h"

#include <cstdint>
#include <vector>

namespace ksynth::spec {

// Row-major strides of `dims`.
std::vector<int64_t> stridesOf(const std::vector<int64_t> &dims);
int64_t product(const std::vector<int64_t> &dims);

// sum mean prod max min argmax argmin norm. Attrs `dim` (an int, or a list
// for sum, mean and norm; absent: every dim) and `keepdim`.
struct ReduceParams {
  std::vector<int64_t> inDims;
  std::vector<bool> reduced; // per input dim
  std::vector<int64_t> outDims;
  // Flat input offsets: of each output element's first input element (in
  // output order), and of the reduced elements relative to it (row-major
  // over the reduced dims, the fold order).
  std::vector<int64_t> outerOffsets, innerOffsets;
};
ReduceParams reduceParams(const OpNode &op, const std::vector<TensorType> &in);
// norm's attr `p`: "1", "2" (default; "fro" is the same) or "inf".
std::string normOrder(const OpNode &op);

// cumsum, cumprod, softmax, log_softmax: one dim (attr `dim`, required), output
// of the input's shape. The data splits into `outer` x `len` x `inner` blocks.
struct DimParams {
  std::vector<int64_t> dims;
  int64_t dim = 0, outer = 1, len = 1, inner = 1;
};
DimParams dimParams(const OpNode &op, const std::vector<TensorType> &in);

// transpose: attrs dim0, dim1 (required).
struct TransposeParams {
  std::vector<int64_t> inDims, outDims;
  int64_t dim0 = 0, dim1 = 0;
};
TransposeParams transposeParams(const OpNode &op,
                                const std::vector<TensorType> &in);
// triu, tril (x [..., R, C]; attr diagonal, default 0): element (i, j) of
// each matrix is kept where j - i >= diagonal (triu) or j - i <= diagonal
// (tril), else +0. `diagonal` is clamped to [-R, C], which keeps the same
// elements.
struct TriParams {
  std::vector<int64_t> dims;
  int64_t rows = 1, cols = 1, diagonal = 0;
  bool upper = true;
};
TriParams triParams(const OpNode &op, const std::vector<TensorType> &in);
// The output dims of an op of the Layout family (spec/OpTable.h), from its
// params.
std::vector<int64_t> layoutOutDims(const OpNode &op,
                                   const std::vector<TensorType> &in);

// matmul with PyTorch's rules (1-D operands get a dim prepended / appended
// and removed again; batch dims broadcast).
struct MatmulParams {
  std::vector<int64_t> aBatch, bBatch, outBatch, outDims;
  int64_t n = 1, k = 1, m = 1;
};
MatmulParams matmulParams(const OpNode &op, const std::vector<TensorType> &in);

// layer_norm (x, [weight, [bias]]) and rms_norm (x, [weight]): attrs
// normalized_ndim (default 1) and eps. Rows of `inner` elements.
// group_norm and instance_norm (x [N, C, *], [weight [C], [bias [C]]]):
// attrs num_groups (group_norm; instance_norm: one group per channel) and
// eps; a row is one group of one sample, `groupChannels` channels of
// `spatial` elements each, and the weight and bias are per channel
// (`byChannel`): element j of row r has channel (r % groups) *
// groupChannels + j / spatial.
struct RowNormParams {
  std::vector<int64_t> dims;
  int64_t outer = 1, inner = 1;
  bool hasWeight = false, hasBias = false;
  bool weightScalar = false, biasScalar = false; // 0-d: one value for all
  bool byChannel = false;
  int64_t groups = 1, groupChannels = 1, spatial = 1;
  float eps = 0;
};
RowNormParams rowNormParams(const OpNode &op,
                            const std::vector<TensorType> &in);

// batch_norm (x, running_mean, running_var, [weight, [bias]]), inference
// mode, channel dim 1: x is [N, C, *].
struct BatchNormParams {
  std::vector<int64_t> dims;
  int64_t n = 1, c = 1, spatial = 1;
  bool hasWeight = false, hasBias = false;
  std::vector<bool> perChannel; // per operand 1..4: [C] (else 0-d)
  float eps = 0;
};
BatchNormParams batchNormParams(const OpNode &op,
                                const std::vector<TensorType> &in);

// conv1d/2d/3d and conv_transpose1d/2d/3d; 1-D and 2-D ops run as 3-D with
// a depth (and height) of 1: d, kd, od = 1, sd, dd = 1, pd = 0.
struct ConvParams {
  bool transposed = false, hasBias = false, biasScalar = false;
  int64_t n = 1, cin = 1, d = 1, h = 1, w = 1; // input (unbatched: n = 1)
  int64_t cout = 1, kd = 1, kh = 1, kw = 1;    // weight
  int64_t sd = 1, sh = 1, sw = 1, pd = 0, ph = 0, pw = 0;
  int64_t dd = 1, dh = 1, dw = 1, groups = 1;
  int64_t od = 1, oh = 1, ow = 1;
  std::vector<int64_t> outDims;
};
ConvParams convParams(const OpNode &op, const std::vector<TensorType> &in);

// max_pool1d/2d/3d, avg_pool1d/2d/3d; 1-D and 2-D ops run as 3-D with a
// depth (and height) of 1. `planes` is the product of the leading (batch
// and channel) dims.
struct PoolParams {
  bool isMax = true, countIncludePad = true;
  int64_t planes = 1, d = 1, h = 1, w = 1;
  int64_t kd = 1, kh = 1, kw = 1, sd = 1, sh = 1, sw = 1;
  int64_t pd = 0, ph = 0, pw = 0, dd = 1, dh = 1, dw = 1;
  int64_t od = 1, oh = 1, ow = 1;
  std::vector<int64_t> outDims;
};
PoolParams poolParams(const OpNode &op, const std::vector<TensorType> &in);

// mse_loss, huber_loss, hinge_loss, kl_div (input, target of one shape),
// cross_entropy (logits [N, C] or [C]; target int64 class indices [N] or
// [], or float32 probabilities of the logits' shape) and
// triplet_margin_loss (anchor, positive, negative, each [N, D] or [D]).
// Attr `reduction` ("batchmean": kl_div only).
struct LossParams {
  enum class Reduction { Mean, Sum, None, BatchMean };
  Reduction reduction = Reduction::Mean;
  std::vector<int64_t> inDims, outDims;
  // cross_entropy (rows x classes) and triplet_margin_loss (rows x D):
  int64_t rows = 1, classes = 1, ignoreIndex = -100;
  bool classIndices = true;
};
LossParams lossParams(const OpNode &op, const std::vector<TensorType> &in);

} // namespace ksynth::spec
