// The transcendental activations (PyTorch's CPU formulas, special values)
// and the losses (reductions, ignore_index, probability targets).
#include "OpTestUtil.h"

using namespace ksynth;
using namespace ksynth::spec;
using namespace ksynth::spec::test;

namespace {

std::vector<float> unary(const std::string &op, std::vector<float> x,
                         json attrs = json::object()) {
  size_t n = x.size();
  return values(
      runOp(op, {{"x", floats({static_cast<int64_t>(n)}, x)}}, attrs));
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

} // namespace

TEST(Activation, SigmoidTanhExpLog) {
  EXPECT_TRUE(near(unary("sigmoid", {1, -2, 0.5f}),
                   {sigmoid(1), sigmoid(-2), sigmoid(0.5)}));
  // 1 / (1 + exp(-x)): exp(100) overflows float32, so sigmoid(-100) is +0.
  EXPECT_TRUE(sameBits(unary("sigmoid", {0, -0.0f, kInf, -kInf, kNaN, -100}),
                       {0.5f, 0.5f, 1, 0, kNaN, 0}));
  EXPECT_TRUE(
      near(unary("tanh", {0.5f, -3}), {std::tanh(0.5), std::tanh(-3.0)}));
  EXPECT_TRUE(sameBits(unary("tanh", {-0.0f, kInf, -kInf, kNaN}),
                       {-0.0f, 1, -1, kNaN}));
  EXPECT_TRUE(near(unary("exp", {1, -1.5f}), {std::exp(1.0), std::exp(-1.5)}));
  EXPECT_TRUE(sameBits(unary("exp", {-0.0f, -kInf, kInf, 89, kNaN}),
                       {1, 0, kInf, kInf, kNaN}));
  EXPECT_TRUE(near(unary("log", {2, 0.25f}), {std::log(2.0), std::log(0.25)}));
  EXPECT_TRUE(sameBits(unary("log", {0, -0.0f, -1, kInf, 1, kNaN}),
                       {-kInf, -kInf, kNaN, kInf, 0, kNaN}));
}

TEST(Activation, Softplus) {
  EXPECT_TRUE(near(unary("softplus", {0, 1, -2, 20}),
                   {std::log(2.0), std::log1p(std::exp(1.0)),
                    std::log1p(std::exp(-2.0)), std::log1p(std::exp(20.0))}));
  // x * beta > threshold: x itself (bit-exact); -inf: log1p(0) = 0.
  EXPECT_TRUE(sameBits(unary("softplus", {30, kInf, -kInf, kNaN}),
                       {30, kInf, 0, kNaN}));
  EXPECT_TRUE(
      sameBits(unary("softplus", {6}, {{"beta", 2}, {"threshold", 10}}), {6}));
  EXPECT_TRUE(near(unary("softplus", {1}, {{"beta", 2}, {"threshold", 10}}),
                   {std::log1p(std::exp(2.0)) / 2}));
}

TEST(Activation, EluSelu) {
  EXPECT_TRUE(near(unary("elu", {-1, 2}), {std::expm1(-1.0), 2}));
  EXPECT_TRUE(
      near(unary("elu", {-1}, {{"alpha", 0.5}}), {0.5 * std::expm1(-1.0)}));
  // x < 0 selects the exponential branch: -0 is kept as -0.
  EXPECT_TRUE(sameBits(unary("elu", {-0.0f, -kInf, kNaN, kInf}),
                       {-0.0f, -1, kNaN, kInf}));
  const double a = 1.6732632423543772848170429916717;
  const double s = 1.0507009873554804934193349852946;
  EXPECT_TRUE(near(unary("selu", {1, -1}), {s, s * a * std::expm1(-1.0)}));
  float negcoef = static_cast<float>(a) * static_cast<float>(s);
  EXPECT_TRUE(sameBits(unary("selu", {-kInf, -0.0f, 0, kNaN}),
                       {-negcoef, -0.0f, 0, kNaN}));
}

TEST(Activation, GeluSiluMishSoftsign) {
  EXPECT_TRUE(near(unary("gelu", {1, -0.5f}),
                   {0.5 * (1 + std::erf(1 / std::sqrt(2.0))),
                    -0.25 * (1 + std::erf(-0.5 / std::sqrt(2.0)))}));
  EXPECT_TRUE(
      near(unary("gelu", {1}, {{"approximate", "tanh"}}),
           {0.5 * (1 + std::tanh(std::sqrt(2 / M_PI) * (1 + 0.044715)))}));
  // x * 0.5 * (1 + erf(..)): -inf * 0 is NaN; -0 stays -0.
  for (const char *approx : {"none", "tanh"})
    EXPECT_TRUE(sameBits(
        unary("gelu", {kInf, -kInf, -0.0f, kNaN}, {{"approximate", approx}}),
        {kInf, kNaN, -0.0f, kNaN}))
        << approx;
  EXPECT_TRUE(near(unary("silu", {1, -2}), {sigmoid(1), -2 * sigmoid(-2)}));
  EXPECT_TRUE(sameBits(unary("silu", {kInf, -kInf, -0.0f}),
                       {kInf, kNaN, -0.0f})); // -inf / inf
  EXPECT_TRUE(
      near(unary("mish", {1, -1}), {std::tanh(std::log1p(std::exp(1.0))),
                                    -std::tanh(std::log1p(std::exp(-1.0)))}));
  EXPECT_TRUE(
      sameBits(unary("mish", {kInf, -kInf, -0.0f}), {kInf, kNaN, -0.0f}));
  // softsign: x / (|x| + 1), correctly rounded operations only.
  EXPECT_TRUE(sameBits(unary("softsign", {1, -3, kInf, -0.0f, kNaN}),
                       {0.5f, -0.75f, kNaN, -0.0f, kNaN}));
}

TEST(Loss, MseHuberHinge) {
  Tensor<Scalar> x = floats({3}, {1, 2, 3}), y = floats({3}, {1, 0, 0});
  EXPECT_TRUE(sameBits(values(runOp("mse_loss", {{"x", x}, {"t", y}})),
                       {13.0f / 3.0f}));
  EXPECT_TRUE(sameBits(
      values(runOp("mse_loss", {{"x", x}, {"t", y}}, {{"reduction", "sum"}})),
      {13}));
  Tensor<Scalar> none =
      runOp("mse_loss", {{"x", x}, {"t", y}}, {{"reduction", "none"}});
  EXPECT_EQ(none.type.dims, (std::vector<int64_t>{3}));
  EXPECT_TRUE(sameBits(values(none), {0, 4, 9}));
  EXPECT_TRUE(
      sameBits(values(runOp("mse_loss", {{"x", floats({2}, {kInf, 1})},
                                         {"t", floats({2}, {kInf, 1})}})),
               {kNaN}));
  // huber: |d| < delta ? 0.5 * d * d : delta * (|d| - 0.5 * delta).
  Tensor<Scalar> h = floats({2}, {0.5f, -2}), z = floats({2}, {0, 0});
  EXPECT_TRUE(sameBits(values(runOp("huber_loss", {{"x", h}, {"t", z}},
                                    {{"reduction", "none"}})),
                       {0.125f, 1.5f}));
  EXPECT_TRUE(
      sameBits(values(runOp("huber_loss", {{"x", h}, {"t", z}})), {0.8125f}));
  EXPECT_TRUE(sameBits(values(runOp("huber_loss", {{"x", h}, {"t", z}},
                                    {{"reduction", "none"}, {"delta", 2}})),
                       {0.125f, 2}));
  // hinge: max(0, 1 - y * x), NaN kept.
  Tensor<Scalar> hx = floats({4}, {0.5f, -2, 2, kNaN});
  Tensor<Scalar> hy = floats({4}, {1, 1, 1, 1});
  EXPECT_TRUE(sameBits(values(runOp("hinge_loss", {{"x", hx}, {"t", hy}},
                                    {{"reduction", "none"}})),
                       {0.5f, 3, 0, kNaN}));
  Tensor<Scalar> hx3 = floats({3}, {0.5f, -2, 2}), hy3 = floats({3}, {1, 1, 1});
  EXPECT_TRUE(sameBits(values(runOp("hinge_loss", {{"x", hx3}, {"t", hy3}})),
                       {3.5f / 3.0f}));
}

TEST(Loss, CrossEntropyClassIndices) {
  Tensor<Scalar> logits = floats({2, 3}, {0, 0, 0, 1, 2, 3});
  double s = std::exp(-2.0) + std::exp(-1.0) + 1;
  Tensor<Scalar> y =
      runOp("cross_entropy", {{"x", logits}, {"t", ints({2}, {0, 2})}});
  EXPECT_TRUE(y.type.dims.empty());
  EXPECT_TRUE(near(values(y), {(std::log(3.0) + std::log(s)) / 2}));
  y = runOp("cross_entropy", {{"x", logits}, {"t", ints({2}, {0, 2})}},
            {{"reduction", "none"}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2}));
  EXPECT_TRUE(near(values(y), {std::log(3.0), std::log(s)}));
  // ignore_index (-100 by default): loss 0, not counted by "mean".
  y = runOp("cross_entropy", {{"x", logits}, {"t", ints({2}, {-100, 2})}});
  EXPECT_TRUE(near(values(y), {std::log(s)}));
  y = runOp("cross_entropy", {{"x", logits}, {"t", ints({2}, {-100, 0})}},
            {{"reduction", "none"}});
  EXPECT_TRUE(near(values(y), {0, 2 + std::log(s)}));
  y = runOp("cross_entropy", {{"x", logits}, {"t", ints({2}, {1, 1})}},
            {{"ignore_index", 1}});
  EXPECT_TRUE(sameBits(values(y), {kNaN})); // all ignored: 0 / 0
  y = runOp("cross_entropy", {{"x", logits}, {"t", ints({2}, {1, 1})}},
            {{"ignore_index", 1}, {"reduction", "sum"}});
  EXPECT_TRUE(sameBits(values(y), {0}));
  // A class index out of range gives NaN (PyTorch raises an error).
  y = runOp("cross_entropy", {{"x", logits}, {"t", ints({2}, {3, 0})}},
            {{"reduction", "none"}});
  EXPECT_TRUE(std::isnan(values(y)[0]));
  EXPECT_TRUE(near({values(y)[1]}, {2 + std::log(s)}));
  // Unbatched: logits [C], target 0-d.
  y = runOp("cross_entropy",
            {{"x", floats({3}, {1, 2, 3})}, {"t", ints({}, {2})}});
  EXPECT_TRUE(near(values(y), {std::log(s)}));
}

TEST(Loss, CrossEntropyProbabilities) {
  Tensor<Scalar> logits = floats({2, 3}, {0, 0, 0, 1, 2, 3});
  Tensor<Scalar> p = floats({2, 3}, {1, 0, 0, 0, 0.5f, 0.5f});
  double s = std::exp(-2.0) + std::exp(-1.0) + 1;
  double row1 = -(0.5 * (-1 - std::log(s)) + 0.5 * (-std::log(s)));
  Tensor<Scalar> y = runOp("cross_entropy", {{"x", logits}, {"p", p}},
                           {{"reduction", "none"}});
  EXPECT_TRUE(near(values(y), {std::log(3.0), row1}));
  y = runOp("cross_entropy", {{"x", logits}, {"p", p}});
  EXPECT_TRUE(near(values(y), {(std::log(3.0) + row1) / 2}));
}
