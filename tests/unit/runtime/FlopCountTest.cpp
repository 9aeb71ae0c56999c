// Flop counts (runtime/FlopCount.h): parsed elementwise specs, and the
// tensor-op formulas on hand-built ops (independent of which tensor ops the
// spec parser knows at the moment).
#include "RuntimeTestSupport.h"

#include "runtime/FlopCount.h"

#include <gtest/gtest.h>

namespace ksynth::runtime {
namespace {

using spec::DType;
using spec::OpNode;
using spec::TensorType;

spec::Spec parse(const std::string &text) {
  return spec::parseSpec(nlohmann::json::parse(text), "test.json");
}

TensorType f32(std::vector<int64_t> dims) {
  TensorType t;
  t.dtype = DType::Float32;
  t.dims = std::move(dims);
  return t;
}

OpNode node(const std::string &op, size_t arity,
            nlohmann::json attrs = nlohmann::json::object()) {
  OpNode n;
  n.op = op;
  n.output = "out";
  n.attrs = std::move(attrs);
  for (size_t i = 0; i < arity; ++i)
    n.inputs.push_back("in" + std::to_string(i));
  return n;
}

double flops(const OpNode &op, const std::vector<TensorType> &in,
             const TensorType &out, std::string *note = nullptr) {
  std::vector<const TensorType *> ptrs;
  for (const TensorType &t : in)
    ptrs.push_back(&t);
  return opFlops(op, ptrs, out, note).flops;
}

TEST(FlopCount, HardtanhIsTwoComparesPerElement) {
  spec::Spec s = parse(test::hardtanhSpec());
  FlopCount c = countFlops(s, {{"N", 67}});
  EXPECT_EQ(c.total, 2 * 67);
  ASSERT_EQ(c.ops.size(), 1u);
  EXPECT_EQ(c.ops[0].op, "hardtanh");
  EXPECT_TRUE(c.notes.empty());
}

TEST(FlopCount, ElementwiseChainWithBroadcastAndDeadOps) {
  // y = relu(x * w + 1) with w broadcast over rows; `unused` is not an
  // output's ancestor and is not counted.
  spec::Spec s = parse(R"({"name": "affine",
    "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]},
               "w": {"dtype": "float32", "shape": ["N"]}},
    "ops": [{"op": "mul", "inputs": ["x", "w"], "output": "t"},
            {"op": "add", "inputs": ["t", 1.0], "output": "u"},
            {"op": "relu", "inputs": ["u"], "output": "y"},
            {"op": "sigmoid", "inputs": ["x"], "output": "unused"},
            {"op": "gt", "inputs": ["x", 0.5], "output": "pos"}],
    "outputs": ["y", "pos"], "tolerance": {"atol": 1e-6},
    "shapes": [{"M": 3, "N": 5}]})");
  FlopCount c = countFlops(s, {{"M", 3}, {"N", 5}});
  // mul, add, relu, gt: 1 per element each, 15 elements.
  EXPECT_EQ(c.total, 4 * 15);
  EXPECT_EQ(c.ops.size(), 4u);
  for (const OpFlops &f : c.ops)
    EXPECT_NE(f.op, "sigmoid");
}

TEST(FlopCount, ParsedTensorOpsUseTheirOperandTypes) {
  // z = sum(relu(a @ b), dim 1): 2*M*N*K + M*N (relu) + M*N (sum).
  spec::Spec s = parse(R"({"name": "mm",
    "inputs": {"a": {"dtype": "float32", "shape": ["M", "K"]},
               "b": {"dtype": "float32", "shape": ["K", "N"]}},
    "ops": [{"op": "matmul", "inputs": ["a", "b"], "output": "c"},
            {"op": "relu", "inputs": ["c"], "output": "r"},
            {"op": "sum", "inputs": ["r"], "output": "z", "attrs": {"dim": 1}}],
    "outputs": ["z"], "tolerance": {"atol": 1e-3},
    "shapes": [{"M": 4, "K": 3, "N": 5}]})");
  FlopCount c = countFlops(s, {{"M", 4}, {"K", 3}, {"N", 5}});
  EXPECT_EQ(c.total, 2 * 4 * 5 * 3 + 20 + 20);
  ASSERT_EQ(c.ops.size(), 3u);
  EXPECT_EQ(c.ops[0].flops, 2 * 4 * 5 * 3);
  EXPECT_NE(c.ops[0].rule.find("2*M*N*K"), std::string::npos) << c.ops[0].rule;
  EXPECT_TRUE(c.notes.empty());
}

TEST(FlopCount, ActivationsCountTheirPrimitives) {
  TensorType t = f32({10});
  EXPECT_EQ(flops(node("sigmoid", 1), {t}, t), 40);
  EXPECT_EQ(flops(node("softsign", 1), {t}, t), 30);
  EXPECT_EQ(flops(node("hardsigmoid", 1), {t}, t), 40);
  EXPECT_EQ(flops(node("gelu", 1), {t}, t), 50);
  EXPECT_EQ(flops(node("gelu", 1, {{"approximate", "tanh"}}), {t}, t), 90);
  EXPECT_EQ(flops(node("clamp", 1, {{"min", 0.0}}), {t}, t), 10);
  EXPECT_EQ(flops(node("clamp", 3), {t, t, t}, t), 20);
  // max with two operands is elementwise (1), with one a reduction.
  EXPECT_EQ(flops(node("max", 2), {t, t}, t), 10);
  EXPECT_EQ(flops(node("max", 1, {{"dim", 0}}), {t}, f32({})), 10);
}

TEST(FlopCount, MatmulIsTwoMNK) {
  // [4, 3] @ [3, 5]: 2 * 4 * 5 * 3.
  EXPECT_EQ(flops(node("matmul", 2), {f32({4, 3}), f32({3, 5})}, f32({4, 5})),
            2 * 4 * 5 * 3);
  // Batched and broadcast: [2, 4, 3] @ [3, 5] -> [2, 4, 5].
  EXPECT_EQ(
      flops(node("matmul", 2), {f32({2, 4, 3}), f32({3, 5})}, f32({2, 4, 5})),
      2 * 2 * 4 * 5 * 3);
  // Dot product: [7] @ [7] -> 0-d.
  EXPECT_EQ(flops(node("matmul", 2), {f32({7}), f32({7})}, f32({})), 14);
}

TEST(FlopCount, ConvolutionCountsTapsPerOutput) {
  // conv2d x [1, 4, 8, 8], weight [6, 2, 3, 3] (groups 2), bias [6],
  // output [1, 6, 6, 6]: 2 * 216 * (2 * 9) + 216.
  EXPECT_EQ(flops(node("conv2d", 3, {{"groups", 2}}),
                  {f32({1, 4, 8, 8}), f32({6, 2, 3, 3}), f32({6})},
                  f32({1, 6, 6, 6})),
            2.0 * 216 * 18 + 216);
  // conv1d without bias: x [2, 3, 10], w [4, 3, 5], out [2, 4, 6].
  EXPECT_EQ(flops(node("conv1d", 2), {f32({2, 3, 10}), f32({4, 3, 5})},
                  f32({2, 4, 6})),
            2.0 * 48 * 15);
  // Transposed: every input element meets C_out/groups * taps weights.
  // x [1, 2, 4, 4], w [2, 3, 3, 3], out [1, 3, 6, 6].
  EXPECT_EQ(flops(node("conv_transpose2d", 2),
                  {f32({1, 2, 4, 4}), f32({2, 3, 3, 3})}, f32({1, 3, 6, 6})),
            2.0 * 32 * 27);
}

TEST(FlopCount, ReductionsPoolingNormsAndLosses) {
  TensorType x = f32({4, 6});
  EXPECT_EQ(flops(node("sum", 1, {{"dim", 1}}), {x}, f32({4})), 24);
  EXPECT_EQ(flops(node("mean", 1, {{"dim", 1}}), {x}, f32({4})), 24 + 4);
  EXPECT_EQ(flops(node("argmax", 1), {x}, f32({})), 24);
  EXPECT_EQ(flops(node("norm", 1), {x}, f32({})), 2 * 24 + 1);
  EXPECT_EQ(flops(node("norm", 1, {{"p", "inf"}}), {x}, f32({})), 2 * 24);
  EXPECT_EQ(flops(node("cumsum", 1, {{"dim", 0}}), {x}, x), 24);
  EXPECT_EQ(flops(node("softmax", 1, {{"dim", 1}}), {x}, x), 5 * 24);
  EXPECT_EQ(flops(node("layer_norm", 3), {x, f32({6}), f32({6})}, x), 7 * 24);
  EXPECT_EQ(
      flops(node("transpose", 1, {{"dim0", 0}, {"dim1", 1}}), {x}, f32({6, 4})),
      0);
  // max_pool2d 3x3 over [1, 2, 6, 6] -> [1, 2, 2, 2]: 8 outputs x 9 taps.
  EXPECT_EQ(flops(node("max_pool2d", 1, {{"kernel_size", 3}}),
                  {f32({1, 2, 6, 6})}, f32({1, 2, 2, 2})),
            72);
  EXPECT_EQ(flops(node("avg_pool1d", 1, {{"kernel_size", 2}}), {f32({1, 2, 6})},
                  f32({1, 2, 3})),
            6 * 3);
  EXPECT_EQ(flops(node("mse_loss", 2), {x, x}, f32({})), 3 * 24);
  EXPECT_EQ(flops(node("mse_loss", 2, {{"reduction", "none"}}), {x, x}, x),
            2 * 24);
  TensorType target;
  target.dtype = DType::Int64;
  target.dims = {4};
  EXPECT_EQ(flops(node("cross_entropy", 2), {x, target}, f32({})), 4 * 24 + 4);
}

TEST(FlopCount, UnknownOpIsOnePerOutputElementWithANote) {
  std::string note;
  EXPECT_EQ(flops(node("frobnicate", 1), {f32({3, 3})}, f32({3, 2}), &note), 6);
  EXPECT_NE(note.find("frobnicate"), std::string::npos) << note;
  EXPECT_NE(note.find("1 flop per output element"), std::string::npos);
}

} // namespace
TEST(FlopCount, KernelBenchOps) {
  TensorType x = f32({4, 6}), t = f32({10});
  EXPECT_EQ(flops(node("hardswish", 1), {t}, t), 50);
  EXPECT_EQ(flops(node("sqrt", 1), {t}, t), 10);
  EXPECT_EQ(flops(node("logsumexp", 1, {{"dim", 1}}), {x}, f32({4})),
            4 * 24 + 2 * 4);
  EXPECT_EQ(flops(node("cumprod", 1, {{"dim", 1}}), {x}, x), 24);
  TensorType g = f32({2, 4, 3});
  EXPECT_EQ(flops(node("group_norm", 1, {{"num_groups", 2}}), {g}, g), 5 * 24);
  EXPECT_EQ(flops(node("instance_norm", 3), {g, f32({4}), f32({4})}, g),
            7 * 24);
  // conv3d x [1, 2, 4, 4, 4], w [3, 2, 2, 2, 2], out [1, 3, 3, 3, 3]:
  // 2 x 81 outputs x 16 taps.
  EXPECT_EQ(flops(node("conv3d", 2),
                  {f32({1, 2, 4, 4, 4}), f32({3, 2, 2, 2, 2})},
                  f32({1, 3, 3, 3, 3})),
            2.0 * 81 * 16);
  // conv_transpose3d x [1, 2, 2, 2, 2], w [2, 1, 2, 2, 2]: 16 inputs x 8.
  EXPECT_EQ(flops(node("conv_transpose3d", 2),
                  {f32({1, 2, 2, 2, 2}), f32({2, 1, 2, 2, 2})},
                  f32({1, 1, 3, 3, 3})),
            2.0 * 16 * 8);
  // max_pool3d 2x2x2 over [1, 1, 4, 4, 4] -> [1, 1, 2, 2, 2]: 8 x 8 taps.
  EXPECT_EQ(flops(node("max_pool3d", 1, {{"kernel_size", 2}}),
                  {f32({1, 1, 4, 4, 4})}, f32({1, 1, 2, 2, 2})),
            64);
  EXPECT_EQ(flops(node("kl_div", 2, {{"reduction", "none"}}), {x, x}, x),
            4 * 24);
  EXPECT_EQ(flops(node("triplet_margin_loss", 3), {x, x, x}, f32({})),
            4 * 2 * 24 + 5 * 4);
}

} // namespace ksynth::runtime
