// Reductions (sum, mean, prod, max, min, argmax, argmin, norm) and cumsum on
// hand-checked examples: fold order, signed zeros, NaN and PyTorch's tie
// rules (first NaN, else first extreme element).
#include "OpTestUtil.h"

using namespace ksynth;
using namespace ksynth::spec;
using namespace ksynth::spec::test;

namespace {

Tensor<Scalar> m23() { return floats({2, 3}, {1, 2, 3, 4, 5, 6}); }

} // namespace

TEST(Reduce, SumAlongDims) {
  Tensor<Scalar> y = runOp("sum", {{"x", m23()}}, {{"dim", 1}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2}));
  EXPECT_TRUE(sameBits(values(y), {6, 15}));
  y = runOp("sum", {{"x", m23()}}, {{"dim", 0}});
  EXPECT_TRUE(sameBits(values(y), {5, 7, 9}));
  y = runOp("sum", {{"x", m23()}}, {{"dim", -1}, {"keepdim", true}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(sameBits(values(y), {6, 15}));
  y = runOp("sum", {{"x", m23()}}, {{"dim", {-1, 0}}});
  EXPECT_TRUE(y.type.dims.empty());
  EXPECT_TRUE(sameBits(values(y), {21}));
  y = runOp("sum", {{"x", m23()}});
  EXPECT_TRUE(y.type.dims.empty());
  EXPECT_TRUE(sameBits(values(y), {21}));
  y = runOp("sum", {{"x", m23()}}, {{"keepdim", true}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1}));
  // Reduced dims in row-major order: [2, 3, 2] over dims 0 and 2.
  Tensor<Scalar> x = floats({2, 3, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  y = runOp("sum", {{"x", x}}, {{"dim", {0, 2}}});
  EXPECT_TRUE(
      sameBits(values(y), {1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12}));
}

TEST(Reduce, SumIsALeftFoldFromPlusZero) {
  // ((((0 + 1e8) + 1) + -1e8) + 1) = 1; pairwise it would be 0.
  Tensor<Scalar> y = runOp("sum", {{"x", floats({4}, {1e8f, 1, -1e8f, 1})}});
  EXPECT_TRUE(sameBits(values(y), {1}));
  // Only -0 terms: +0 (the fold starts from +0, as PyTorch's CPU sum).
  y = runOp("sum", {{"x", floats({2}, {-0.0f, -0.0f})}});
  EXPECT_TRUE(sameBits(values(y), {0.0f}));
  y = runOp("sum", {{"x", floats({3}, {1, kNaN, 2})}});
  EXPECT_TRUE(sameBits(values(y), {kNaN}));
  y = runOp("sum", {{"x", floats({2}, {kInf, -kInf})}});
  EXPECT_TRUE(sameBits(values(y), {kNaN}));
  y = runOp("sum", {{"x", floats({2}, {3e38f, 3e38f})}});
  EXPECT_TRUE(sameBits(values(y), {kInf}));
  // A 0-d tensor reduces over dim 0 (or -1) to itself, plus +0.
  y = runOp("sum", {{"x", floats({}, {-0.0f})}}, {{"dim", 0}});
  EXPECT_TRUE(y.type.dims.empty());
  EXPECT_TRUE(sameBits(values(y), {0.0f}));
}

TEST(Reduce, Mean) {
  Tensor<Scalar> y = runOp("mean", {{"x", m23()}}, {{"dim", 1}});
  EXPECT_TRUE(sameBits(values(y), {2, 5}));
  float t = 0.0f + 0.1f;
  t = t + 0.1f;
  t = t + 0.1f;
  y = runOp("mean", {{"x", floats({3}, {0.1f, 0.1f, 0.1f})}});
  EXPECT_TRUE(sameBits(values(y), {t / 3.0f}));
  y = runOp("mean", {{"x", floats({2}, {kInf, 1})}});
  EXPECT_TRUE(sameBits(values(y), {kInf}));
}

TEST(Reduce, Prod) {
  Tensor<Scalar> y = runOp("prod", {{"x", m23()}}, {{"dim", 1}});
  EXPECT_TRUE(sameBits(values(y), {6, 120}));
  y = runOp("prod", {{"x", floats({3}, {2, 3, -0.0f})}});
  EXPECT_TRUE(sameBits(values(y), {-0.0f}));
  y = runOp("prod", {{"x", floats({2}, {-1, -0.0f})}});
  EXPECT_TRUE(sameBits(values(y), {0.0f}));
  y = runOp("prod", {{"x", floats({2}, {kInf, 0})}});
  EXPECT_TRUE(sameBits(values(y), {kNaN}));
}

TEST(Reduce, MaxMinAndTheirIndices) {
  Tensor<Scalar> x = floats({2, 3}, {1, 3, 3, 7, 7, 2});
  EXPECT_TRUE(sameBits(values(runOp("max", {{"x", x}}, {{"dim", 1}})), {3, 7}));
  EXPECT_EQ(indices(runOp("argmax", {{"x", x}}, {{"dim", 1}})),
            (std::vector<int64_t>{1, 0})); // first of equal maxima
  EXPECT_TRUE(
      sameBits(values(runOp("min", {{"x", x}}, {{"dim", 0}})), {1, 3, 2}));
  EXPECT_EQ(indices(runOp("argmin", {{"x", x}}, {{"dim", 0}})),
            (std::vector<int64_t>{0, 0, 1}));
  Tensor<Scalar> am =
      runOp("argmax", {{"x", x}}, {{"dim", 1}, {"keepdim", true}});
  EXPECT_EQ(am.type.dtype, DType::Int64);
  EXPECT_EQ(am.type.dims, (std::vector<int64_t>{2, 1}));
  // No dim: over the flattened tensor.
  EXPECT_EQ(indices(runOp("argmax", {{"x", x}})), (std::vector<int64_t>{3}));
  EXPECT_EQ(indices(runOp("argmin", {{"x", x}})), (std::vector<int64_t>{0}));
}

TEST(Reduce, MaxMinNaNAndZeros) {
  // The first NaN wins, whatever follows.
  Tensor<Scalar> x = floats({5}, {1, kNaN, 5, kNaN, kInf});
  EXPECT_TRUE(sameBits(values(runOp("max", {{"x", x}}, {{"dim", 0}})), {kNaN}));
  EXPECT_EQ(indices(runOp("argmax", {{"x", x}}, {{"dim", 0}})),
            (std::vector<int64_t>{1}));
  EXPECT_TRUE(sameBits(values(runOp("min", {{"x", x}}, {{"dim", 0}})), {kNaN}));
  EXPECT_EQ(indices(runOp("argmin", {{"x", x}})), (std::vector<int64_t>{1}));
  // -0 and +0 compare equal: the first one is the extreme, and its value
  // (with its sign) is the result. Not the IEEE maximum/minimum rule.
  Tensor<Scalar> z = floats({2, 2}, {-0.0f, 0.0f, 0.0f, -0.0f});
  EXPECT_TRUE(
      sameBits(values(runOp("max", {{"x", z}}, {{"dim", 1}})), {-0.0f, 0.0f}));
  EXPECT_TRUE(
      sameBits(values(runOp("min", {{"x", z}}, {{"dim", 1}})), {-0.0f, 0.0f}));
  EXPECT_EQ(indices(runOp("argmin", {{"x", z}}, {{"dim", 1}})),
            (std::vector<int64_t>{0, 0}));
  Tensor<Scalar> inf = floats({3}, {-kInf, -kInf, -kInf});
  EXPECT_EQ(indices(runOp("argmax", {{"x", inf}})), (std::vector<int64_t>{0}));
  EXPECT_TRUE(
      sameBits(values(runOp("max", {{"x", inf}}, {{"dim", 0}})), {-kInf}));
  // max with two operands stays the elementwise maximum.
  Tensor<Scalar> a = floats({2}, {-0.0f, 1}), b = floats({2}, {0.0f, 2});
  EXPECT_TRUE(sameBits(values(runOp("max", {{"a", a}, {"b", b}})), {0.0f, 2}));
}

TEST(Reduce, Norm) {
  Tensor<Scalar> x = floats({2, 2}, {3, -4, -0.0f, 0});
  EXPECT_TRUE(sameBits(
      values(runOp("norm", {{"x", x}}, {{"p", 1}, {"dim", 1}})), {7, 0}));
  EXPECT_TRUE(
      sameBits(values(runOp("norm", {{"x", x}}, {{"dim", 1}})), {5, 0}));
  EXPECT_TRUE(sameBits(
      values(runOp("norm", {{"x", x}}, {{"p", "fro"}, {"dim", {0, 1}}})), {5}));
  EXPECT_TRUE(sameBits(values(runOp("norm", {{"x", x}}, {{"p", 2}})), {5}));
  EXPECT_TRUE(sameBits(
      values(runOp("norm", {{"x", x}}, {{"p", "inf"}, {"dim", 1}})), {4, 0}));
  Tensor<Scalar> n = floats({3}, {1, kNaN, kInf});
  EXPECT_TRUE(
      sameBits(values(runOp("norm", {{"x", n}}, {{"p", "inf"}})), {kNaN}));
  EXPECT_TRUE(sameBits(values(runOp("norm", {{"x", floats({1}, {2e19f})}})),
                       {kInf})); // x * x overflows: no scaling
}

TEST(Reduce, Cumsum) {
  Tensor<Scalar> x = floats({4}, {1, 2, 3, 4});
  EXPECT_TRUE(sameBits(values(runOp("cumsum", {{"x", x}}, {{"dim", 0}})),
                       {1, 3, 6, 10}));
  EXPECT_TRUE(sameBits(
      values(runOp("cumsum", {{"x", x}}, {{"dim", 0}, {"exclusive", true}})),
      {0, 1, 3, 6}));
  EXPECT_TRUE(sameBits(
      values(runOp("cumsum", {{"x", x}}, {{"dim", -1}, {"reverse", true}})),
      {10, 9, 7, 4}));
  EXPECT_TRUE(sameBits(
      values(runOp("cumsum", {{"x", x}},
                   {{"dim", 0}, {"reverse", true}, {"exclusive", true}})),
      {9, 7, 4, 0}));
  // Along dim 0 of a matrix: each column separately.
  EXPECT_TRUE(sameBits(values(runOp("cumsum", {{"x", m23()}}, {{"dim", 0}})),
                       {1, 2, 3, 5, 7, 9}));
  // +0 start: -0 becomes +0; the exclusive head is +0.
  Tensor<Scalar> z = floats({2}, {-0.0f, -0.0f});
  EXPECT_TRUE(sameBits(values(runOp("cumsum", {{"x", z}}, {{"dim", 0}})),
                       {0.0f, 0.0f}));
  Tensor<Scalar> n = floats({3}, {1, kNaN, 2});
  EXPECT_TRUE(sameBits(values(runOp("cumsum", {{"x", n}}, {{"dim", 0}})),
                       {1, kNaN, kNaN}));
  EXPECT_TRUE(sameBits(
      values(runOp("cumsum", {{"x", n}}, {{"dim", 0}, {"reverse", true}})),
      {kNaN, kNaN, 2}));
}
