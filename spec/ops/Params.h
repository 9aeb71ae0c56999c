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

// cumsum, softmax, log_softmax: one dim (attr `dim`, required), output of
// the input's shape. The data splits into `outer` x `len` x `inner` blocks.
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

// matmul with PyTorch's rules (1-D operands get a dim prepended / appended
// and removed again; batch dims broadcast).
struct MatmulParams {
  std::vector<int64_t> aBatch, bBatch, outBatch, outDims;
  int64_t n = 1, k = 1, m = 1;
};
MatmulParams matmulParams(const OpNode &op, const std::vector<TensorType> &in);

// layer_norm (x, [weight, [bias]]) and rms_norm (x, [weight]): attrs
// normalized_ndim (default 1) and eps. Rows of `inner` elements.
struct RowNormParams {
  std::vector<int64_t> dims;
  int64_t outer = 1, inner = 1;
  bool hasWeight = false, hasBias = false;
  bool weightScalar = false, biasScalar = false; // 0-d: one value for all
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

// conv1d / conv2d / conv_transpose2d; 1-D ops run as 2-D with a height of 1.
struct ConvParams {
  bool transposed = false, hasBias = false, biasScalar = false;
  int64_t n = 1, cin = 1, h = 1, w = 1; // input (unbatched: n = 1)
  int64_t cout = 1, kh = 1, kw = 1;     // weight
  int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1;
  int64_t oh = 1, ow = 1;
  std::vector<int64_t> outDims;
};
ConvParams convParams(const OpNode &op, const std::vector<TensorType> &in);

// max_pool1d/2d, avg_pool1d/2d; 1-D ops run as 2-D with a height of 1.
// `planes` is the product of the leading (batch and channel) dims.
struct PoolParams {
  bool isMax = true, countIncludePad = true;
  int64_t planes = 1, h = 1, w = 1;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int64_t oh = 1, ow = 1;
  std::vector<int64_t> outDims;
};
PoolParams poolParams(const OpNode &op, const std::vector<TensorType> &in);

// mse_loss, huber_loss, hinge_loss (input, target of one shape) and
// cross_entropy (logits [N, C] or [C]; target int64 class indices [N] or
// [], or float32 probabilities of the logits' shape). Attr `reduction`.
struct LossParams {
  enum class Reduction { Mean, Sum, None } reduction = Reduction::Mean;
  std::vector<int64_t> inDims, outDims;
  // cross_entropy only:
  int64_t rows = 1, classes = 1, ignoreIndex = -100;
  bool classIndices = true;
};
LossParams lossParams(const OpNode &op, const std::vector<TensorType> &in);

} // namespace ksynth::spec
