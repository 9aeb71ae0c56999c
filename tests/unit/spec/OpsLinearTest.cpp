// transpose, triu, tril and matmul (PyTorch's 1-D / 2-D / batched / broadcast
// rules; the triangle masks zero-fill with +0).
#include "OpTestUtil.h"

using namespace ksynth;
using namespace ksynth::spec;
using namespace ksynth::spec::test;

TEST(Transpose, SwapsDims) {
  Tensor<Scalar> x = floats({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor<Scalar> y = runOp("transpose", {{"x", x}}, {{"dim0", 0}, {"dim1", 1}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{3, 2}));
  EXPECT_TRUE(sameBits(values(y), {1, 4, 2, 5, 3, 6}));
  // [2, 1, 3] with dims 0 and -1 -> [3, 1, 2].
  Tensor<Scalar> z = floats({2, 1, 3}, {1, 2, 3, 4, 5, 6});
  y = runOp("transpose", {{"x", z}}, {{"dim0", 0}, {"dim1", -1}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{3, 1, 2}));
  EXPECT_TRUE(sameBits(values(y), {1, 4, 2, 5, 3, 6}));
  // int64 (e.g. argmax results) transposes too.
  Tensor<Scalar> i = ints({2, 2}, {1, 2, 3, 4});
  Tensor<Scalar> it =
      runOp("transpose", {{"x", i}}, {{"dim0", 1}, {"dim1", 0}});
  EXPECT_EQ(it.type.dtype, DType::Int64);
  EXPECT_EQ(indices(it), (std::vector<int64_t>{1, 3, 2, 4}));
  // Same dim twice: the identity; values (NaN, -0) move unchanged.
  Tensor<Scalar> s = floats({2}, {kNaN, -0.0f});
  EXPECT_TRUE(sameBits(
      values(runOp("transpose", {{"x", s}}, {{"dim0", 0}, {"dim1", -1}})),
      {kNaN, -0.0f}));
}

TEST(Matmul, Shapes) {
  // 1-D x 1-D: dot product, 0-d.
  Tensor<Scalar> y = runOp(
      "matmul", {{"a", floats({3}, {1, 2, 3})}, {"b", floats({3}, {4, 5, 6})}});
  EXPECT_TRUE(y.type.dims.empty());
  EXPECT_TRUE(sameBits(values(y), {32}));
  Tensor<Scalar> m = floats({2, 2}, {1, 2, 3, 4});
  y = runOp("matmul", {{"a", m}, {"b", floats({2, 2}, {5, 6, 7, 8})}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 2}));
  EXPECT_TRUE(sameBits(values(y), {19, 22, 43, 50}));
  // Matrix-vector and vector-matrix: the 1-D dim is removed again.
  y = runOp("matmul", {{"a", m}, {"v", floats({2}, {1, 1})}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2}));
  EXPECT_TRUE(sameBits(values(y), {3, 7}));
  y = runOp("matmul", {{"v", floats({2}, {1, 1})}, {"a", m}});
  EXPECT_TRUE(sameBits(values(y), {4, 6}));
  // Non-square: [2, 3] @ [3, 1].
  y = runOp("matmul", {{"a", floats({2, 3}, {1, 2, 3, 4, 5, 6})},
                       {"b", floats({3, 1}, {1, 0, -1})}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(sameBits(values(y), {-2, -2}));
}

TEST(Matmul, BatchedAndBroadcast) {
  // a [2, 1, 1, 2] (batch [2, 1]) @ b [3, 2, 1] (batch [3]) -> [2, 3, 1, 1].
  Tensor<Scalar> a = floats({2, 1, 1, 2}, {1, 2, 3, 4});
  Tensor<Scalar> b = floats({3, 2, 1}, {1, 0, 0, 1, 1, 1});
  Tensor<Scalar> y = runOp("matmul", {{"a", a}, {"b", b}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 3, 1, 1}));
  EXPECT_TRUE(sameBits(values(y), {1, 2, 3, 3, 4, 7}));
  // Batched matrix @ vector; vector @ batched matrix.
  Tensor<Scalar> bm = floats({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  y = runOp("matmul", {{"a", bm}, {"v", floats({2}, {1, -1})}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 2}));
  EXPECT_TRUE(sameBits(values(y), {-1, -1, -1, -1}));
  y = runOp("matmul", {{"v", floats({2}, {1, -1})}, {"a", bm}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 2}));
  EXPECT_TRUE(sameBits(values(y), {-2, -2, -2, -2}));
  // Batched @ 2-D: the matrix broadcasts over the batch.
  y = runOp("matmul", {{"a", bm}, {"i", floats({2, 2}, {0, 1, 1, 0})}});
  EXPECT_TRUE(sameBits(values(y), {2, 1, 4, 3, 6, 5, 8, 7}));
}

TEST(Matmul, FoldOrderAndSpecials) {
  // ((((0 + 1e8) + 1) + -1e8) + 1) = 1, in order of k.
  Tensor<Scalar> y = runOp("matmul", {{"a", floats({4}, {1e8f, 1, -1e8f, 1})},
                                      {"b", floats({4}, {1, 1, 1, 1})}});
  EXPECT_TRUE(sameBits(values(y), {1}));
  y = runOp("matmul",
            {{"a", floats({2}, {0, 1})}, {"b", floats({2}, {kInf, 1})}});
  EXPECT_TRUE(sameBits(values(y), {kNaN})); // 0 * inf
  y = runOp("matmul", {{"a", floats({1}, {-0.0f})}, {"b", floats({1}, {1})}});
  EXPECT_TRUE(sameBits(values(y), {0.0f})); // +0 + -0
}

TEST(Matmul, TransposedOperand) {
  // a^T @ b with a [3, 2]: a spec composes transpose and matmul.
  json j = json::parse(R"({
    "inputs": { "a": { "dtype": "float32", "shape": ["K", 2] },
                "b": { "dtype": "float32", "shape": ["K", 1] } },
    "ops": [ { "op": "transpose", "inputs": ["a"], "output": "at",
               "attrs": { "dim0": -2, "dim1": -1 } },
             { "op": "matmul", "inputs": ["at", "b"], "output": "y" } ],
    "outputs": ["y"],
    "shapes": [ { "K": 3 } ],
    "tolerance": { "atol": 1e-6 } })");
  Spec s = parseSpec(j, "t.json");
  auto out = interpret(s, {{"K", 3}},
                       {{"a", floats({3, 2}, {1, 2, 3, 4, 5, 6})},
                        {"b", floats({3, 1}, {1, 1, 1})}});
  EXPECT_EQ(out.at("y").type.dims, (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(sameBits(values(out.at("y")), {9, 12}));
}

TEST(Triu, KeepsTheUpperTriangleAndZeroFillsTheRest) {
  // [2, 3] with NaN, -0 and infinities: what is masked out is +0 (not NaN,
  // not -0), what is kept moves unchanged.
  Tensor<Scalar> x = floats({2, 3}, {kNaN, -0.0f, 2, -kInf, -1, kNaN});
  EXPECT_TRUE(sameBits(values(runOp("triu", {{"x", x}})),
                       {kNaN, -0.0f, 2, 0.0f, -1, kNaN}));
  EXPECT_TRUE(sameBits(values(runOp("tril", {{"x", x}})),
                       {kNaN, 0.0f, 0.0f, -kInf, -1, 0.0f}));
  EXPECT_TRUE(sameBits(values(runOp("triu", {{"x", x}}, {{"diagonal", 1}})),
                       {0.0f, -0.0f, 2, 0.0f, 0.0f, kNaN}));
  EXPECT_TRUE(sameBits(values(runOp("tril", {{"x", x}}, {{"diagonal", -1}})),
                       {0.0f, 0.0f, 0.0f, -kInf, 0.0f, 0.0f}));
  // Diagonals past the matrix: everything or nothing (clamped).
  EXPECT_TRUE(sameBits(values(runOp("triu", {{"x", x}}, {{"diagonal", -7}})),
                       values(x)));
  EXPECT_TRUE(sameBits(values(runOp("tril", {{"x", x}}, {{"diagonal", 3}})),
                       values(x)));
  EXPECT_TRUE(sameBits(values(runOp("triu", {{"x", x}}, {{"diagonal", 3}})),
                       {0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(
      sameBits(values(runOp("tril", {{"x", x}}, {{"diagonal", -1000000}})),
               {0, 0, 0, 0, 0, 0}));
  // Batched: the last two dims are the matrix.
  Tensor<Scalar> b = floats({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor<Scalar> y = runOp("tril", {{"x", b}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 2, 2}));
  EXPECT_TRUE(sameBits(values(y), {1, 0, 3, 4, 5, 0, 7, 8}));
}

TEST(Triu, Signature) {
  EXPECT_NE(opError("triu", {{"x", f32Type({4})}}).find("at least 2-d"),
            std::string::npos);
  EXPECT_NE(opError("tril", {{"x", {DType::Int64, {2, 2}}}}).find("float32"),
            std::string::npos);
  EXPECT_NE(opError("triu", {{"x", f32Type({2, 2})}}, {{"diagonal", 1.5}})
                .find("diagonal"),
            std::string::npos);
  EXPECT_EQ(opError("triu", {{"x", f32Type({2, 2})}}, {{"diagonal", -2}}), "");
  // Exact: no tolerance needed.
  OpNode op;
  op.op = "tril";
  op.inputs = {std::string("x")};
  EXPECT_EQ(toleranceReason(op), "");
}
