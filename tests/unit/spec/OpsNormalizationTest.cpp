// softmax, log_softmax, layer_norm, rms_norm, batch_norm: values against
// the mathematical result, the exact cases, and NaN / infinity behaviour.
#include "OpTestUtil.h"

#include <cfloat>

using namespace ksynth;
using namespace ksynth::spec;
using namespace ksynth::spec::test;

TEST(Softmax, Values) {
  Tensor<Scalar> x = floats({2, 3}, {1, 2, 3, 0, 0, 0});
  Tensor<Scalar> y = runOp("softmax", {{"x", x}}, {{"dim", 1}});
  double s = std::exp(-2.0) + std::exp(-1.0) + 1;
  EXPECT_TRUE(near(values(y), {std::exp(-2.0) / s, std::exp(-1.0) / s, 1 / s,
                               1 / 3.0, 1 / 3.0, 1 / 3.0}));
  // Along dim 0: each column separately.
  y = runOp("softmax", {{"x", x}}, {{"dim", 0}});
  double a = 1 / (1 + std::exp(-1.0));
  EXPECT_TRUE(near(
      values(y), {a, 1 / (1 + std::exp(-2.0)), 1 / (1 + std::exp(-3.0)), 1 - a,
                  1 - 1 / (1 + std::exp(-2.0)), 1 - 1 / (1 + std::exp(-3.0))}));
  y = runOp("log_softmax", {{"x", x}}, {{"dim", -1}});
  EXPECT_TRUE(
      near(values(y), {-2 - std::log(s), -1 - std::log(s), -std::log(s),
                       -std::log(3.0), -std::log(3.0), -std::log(3.0)}));
}

TEST(Softmax, MaxSubtractionAndSpecials) {
  // The max is subtracted first: no overflow for large inputs.
  EXPECT_TRUE(
      sameBits(values(runOp("softmax", {{"x", floats({2}, {1000, 1000})}},
                            {{"dim", 0}})),
               {0.5f, 0.5f}));
  EXPECT_TRUE(sameBits(
      values(runOp("softmax", {{"x", floats({2}, {-kInf, 0})}}, {{"dim", 0}})),
      {0.0f, 1.0f}));
  EXPECT_TRUE(
      sameBits(values(runOp("log_softmax", {{"x", floats({2}, {-kInf, 0})}},
                            {{"dim", 0}})),
               {-kInf, 0.0f}));
  // All -inf: -inf - -inf is NaN; +inf: inf - inf is NaN, so the sum is.
  for (const char *op : {"softmax", "log_softmax"}) {
    EXPECT_TRUE(sameBits(
        values(runOp(op, {{"x", floats({2}, {-kInf, -kInf})}}, {{"dim", 0}})),
        {kNaN, kNaN}))
        << op;
    EXPECT_TRUE(sameBits(
        values(runOp(op, {{"x", floats({2}, {kInf, 0})}}, {{"dim", 0}})),
        {kNaN, kNaN}))
        << op;
    EXPECT_TRUE(sameBits(
        values(runOp(op, {{"x", floats({3}, {1, kNaN, 2})}}, {{"dim", 0}})),
        {kNaN, kNaN, kNaN}))
        << op;
  }
}

TEST(LayerNorm, Values) {
  Tensor<Scalar> x = floats({2, 4}, {1, 2, 3, 4, 5, 5, 5, 5});
  Tensor<Scalar> y = runOp("layer_norm", {{"x", x}});
  double r = 1 / std::sqrt(1.25 + 1e-5);
  EXPECT_TRUE(
      near(values(y), {-1.5 * r, -0.5 * r, 0.5 * r, 1.5 * r, 0, 0, 0, 0}));
  // A constant row normalises to exact zeros.
  std::vector<float> v = values(y);
  EXPECT_TRUE(
      sameBits(std::vector<float>(v.begin() + 4, v.end()), {0, 0, 0, 0}));
  Tensor<Scalar> w = floats({4}, {1, 2, 1, 2}), b = floats({4}, {0, 0, 1, 1});
  y = runOp("layer_norm", {{"x", x}, {"w", w}, {"b", b}}, {{"eps", 0}});
  double r0 = 1 / std::sqrt(1.25);
  // The constant row with eps 0: 0 * (1 / sqrt(0)) = 0 * inf = NaN.
  EXPECT_TRUE(near(values(y), {-1.5 * r0, -1.0 * r0, 0.5 * r0 + 1, 3.0 * r0 + 1,
                               NAN, NAN, NAN, NAN}));
  // Two normalized dims: the whole [2, 2] block is one row.
  Tensor<Scalar> q = floats({1, 2, 2}, {1, 2, 3, 4});
  y = runOp("layer_norm", {{"x", q}}, {{"normalized_ndim", 2}, {"eps", 0}});
  EXPECT_TRUE(near(values(y), {-1.5 * r0, -0.5 * r0, 0.5 * r0, 1.5 * r0}));
  // A NaN or an infinity poisons its row only.
  Tensor<Scalar> n = floats({2, 2}, {kNaN, 1, kInf, 1});
  EXPECT_TRUE(sameBits(values(runOp("layer_norm", {{"x", n}})),
                       {kNaN, kNaN, kNaN, kNaN}));
  Tensor<Scalar> n2 = floats({2, 2}, {kNaN, 1, 2, 4});
  EXPECT_TRUE(
      near(values(runOp("layer_norm", {{"x", n2}})),
           {NAN, NAN, -1 / std::sqrt(1 + 1e-5), 1 / std::sqrt(1 + 1e-5)}));
}

TEST(RmsNorm, Values) {
  Tensor<Scalar> x = floats({2, 2}, {3, 4, 0, 0});
  Tensor<Scalar> y = runOp("rms_norm", {{"x", x}});
  double r = 1 / std::sqrt(12.5 + FLT_EPSILON); // default eps: FLT_EPSILON
  EXPECT_TRUE(near(values(y), {3 * r, 4 * r, 0, 0}));
  y = runOp("rms_norm", {{"x", x}, {"w", floats({2}, {2, -1})}}, {{"eps", 0}});
  double r0 = 1 / std::sqrt(12.5);
  std::vector<float> v = values(y);
  EXPECT_TRUE(near({v[0], v[1]}, {6 * r0, -4 * r0}));
  // All zeros with eps 0: 0 * (1 / sqrt(0)) = 0 * inf = NaN.
  EXPECT_TRUE(sameBits({v[2], v[3]}, {kNaN, kNaN}));
}

TEST(BatchNorm, InferenceFormula) {
  // x [N=2, C=2, L=2]; alpha = w / sqrt(var + eps), beta = b - mean * alpha.
  // eps = 2^-30 (PyTorch requires eps > 0) vanishes in var + eps here.
  Tensor<Scalar> x = floats({2, 2, 2}, {1, 3, 2, 4, 5, 7, 0, -1});
  Tensor<Scalar> mean = floats({2}, {1, 2}), var = floats({2}, {4, 0.25f});
  Tensor<Scalar> w = floats({2}, {1, 2}), b = floats({2}, {0, 1});
  Tensor<Scalar> y = runOp(
      "batch_norm", {{"x", x}, {"m", mean}, {"v", var}, {"w", w}, {"b", b}},
      {{"eps", 0x1p-30}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 2, 2}));
  EXPECT_TRUE(sameBits(values(y), {0, 1, 1, 9, 2, 3, -7, -11}));
  // Without weight and bias: alpha = 1 / sqrt(var), beta = 0 - mean * alpha.
  y = runOp("batch_norm", {{"x", x}, {"m", mean}, {"v", var}},
            {{"eps", 0x1p-30}});
  EXPECT_TRUE(sameBits(values(y), {0, 1, 0, 4, 2, 3, -4, -6}));
  // 2-D input [N, C].
  y = runOp("batch_norm",
            {{"x", floats({1, 2}, {3, 3})}, {"m", mean}, {"v", var}},
            {{"eps", 0x1p-30}});
  EXPECT_TRUE(sameBits(values(y), {1, 2}));
  // A negative variance below -eps: sqrt gives NaN.
  y = runOp("batch_norm", {{"x", floats({1, 2}, {3, 3})},
                           {"m", mean},
                           {"v", floats({2}, {-1, 1})}});
  EXPECT_TRUE(std::isnan(values(y)[0]));
}

TEST(IdealInterpreter, DoublePrecision) {
  // 0.1f + 0.2f in float32 vs double: the ideal sum keeps the low bits.
  Tensor<Scalar> x = floats({3}, {0.1f, 0.2f, 0.3f});
  Tensor<IdealScalar> y = runIdeal("sum", {{"x", x}});
  EXPECT_EQ(y.data[0].f, (0.0 + double(0.1f)) + double(0.2f) + double(0.3f));
  Tensor<Scalar> yf = runOp("sum", {{"x", x}});
  EXPECT_NE(static_cast<double>(yf.data[0].f), y.data[0].f);
  // Transcendentals in double; constants (sqrt(2/pi)) exact to double.
  Tensor<IdealScalar> g =
      runIdeal("softmax", {{"x", floats({2}, {0, 1})}}, {{"dim", 0}});
  EXPECT_DOUBLE_EQ(g.data[1].f, 1 / (std::exp(-1.0) + 1));
  Tensor<IdealScalar> am = runIdeal("argmax", {{"x", x}});
  EXPECT_EQ(am.data[0].type, DType::Int64);
  EXPECT_EQ(am.data[0].i, 2);
}
