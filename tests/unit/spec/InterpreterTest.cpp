// The concrete interpreter: broadcasting, literal rounding, input checks.
#include "spec/Interpreter.h"

#include "support/Error.h"
#include "support/Float.h"

#include <gtest/gtest.h>

using namespace ksynth;
using namespace ksynth::spec;
using json = nlohmann::json;

namespace {

Tensor<Scalar> floats(std::vector<int64_t> dims, std::vector<float> v) {
  Tensor<Scalar> t;
  t.type.dtype = DType::Float32;
  t.type.dims = std::move(dims);
  for (float x : v)
    t.data.push_back(ConcreteDomain::f32(x));
  return t;
}

Tensor<Scalar> bools(std::vector<int64_t> dims, std::vector<bool> v) {
  Tensor<Scalar> t;
  t.type.dtype = DType::Bool;
  t.type.dims = std::move(dims);
  for (bool x : v)
    t.data.push_back(ConcreteDomain::boolean(x));
  return t;
}

std::vector<float> values(const Tensor<Scalar> &t) {
  std::vector<float> v;
  for (const Scalar &s : t.data)
    v.push_back(s.f);
  return v;
}

Spec makeSpec(const std::string &text) {
  return parseSpec(json::parse(text), "t.json");
}

} // namespace

TEST(BroadcastIndex, Rules) {
  // Same shape: identity.
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_EQ(broadcastIndex({2, 3}, {2, 3}, i), i);
  // 0-d and [1] operands: always element 0.
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(broadcastIndex({2, 3}, {}, i), 0);
    EXPECT_EQ(broadcastIndex({2, 3}, {1}, i), 0);
    EXPECT_EQ(broadcastIndex({2, 3}, {1, 1}, i), 0);
  }
  // [3] against [2,3]: the column.
  EXPECT_EQ(broadcastIndex({2, 3}, {3}, 4), 1);
  EXPECT_EQ(broadcastIndex({2, 3}, {3}, 5), 2);
  // [2,1] against [2,3]: the row.
  EXPECT_EQ(broadcastIndex({2, 3}, {2, 1}, 2), 0);
  EXPECT_EQ(broadcastIndex({2, 3}, {2, 1}, 3), 1);
  // [1,3] against [4,2,3].
  EXPECT_EQ(broadcastIndex({4, 2, 3}, {1, 3}, 23), 2);
  // [4,1,3] against [4,2,3]: element (3,1,2) -> (3,0,2) = 11.
  EXPECT_EQ(broadcastIndex({4, 2, 3}, {4, 1, 3}, 23), 11);
  EXPECT_EQ(broadcastIndex({4, 2, 3}, {4, 1, 1}, 17), 2);
}

TEST(Interpreter, ScalarAndVectorBroadcast) {
  Spec s = makeSpec(R"({
    "inputs": { "x": { "dtype": "float32", "shape": ["N"] },
                "s": { "dtype": "float32", "shape": [] },
                "one": { "dtype": "float32", "shape": [1] } },
    "ops": [ { "op": "mul", "inputs": ["x", "s"], "output": "a" },
             { "op": "add", "inputs": ["a", "one"], "output": "y" } ],
    "outputs": ["y"],
    "shapes": [ { "N": 3 } ] })");
  auto out = interpret(s, {{"N", 3}},
                       {{"x", floats({3}, {1, 2, 3})},
                        {"s", floats({}, {10})},
                        {"one", floats({1}, {0.5f})}});
  ASSERT_EQ(out.size(), 1u); // only outputs
  EXPECT_EQ(out.at("y").type.dims, (std::vector<int64_t>{3}));
  EXPECT_EQ(values(out.at("y")), (std::vector<float>{10.5f, 20.5f, 30.5f}));
}

TEST(Interpreter, MatrixBroadcast) {
  Spec s = makeSpec(R"({
    "inputs": { "m": { "dtype": "float32", "shape": [2, 3] },
                "r": { "dtype": "float32", "shape": [3] },
                "c": { "dtype": "float32", "shape": [2, 1] } },
    "ops": [ { "op": "add", "inputs": ["m", "r"], "output": "a" },
             { "op": "sub", "inputs": ["a", "c"], "output": "b" },
             { "op": "add", "inputs": ["c", "r"], "output": "outer" } ],
    "outputs": ["b", "outer"],
    "shapes": [ {} ] })");
  auto out = interpret(s, {},
                       {{"m", floats({2, 3}, {0, 1, 2, 3, 4, 5})},
                        {"r", floats({3}, {10, 20, 30})},
                        {"c", floats({2, 1}, {100, 200})}});
  EXPECT_EQ(values(out.at("b")),
            (std::vector<float>{-90, -79, -68, -187, -176, -165}));
  EXPECT_EQ(out.at("outer").type.dims, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(out.at("outer")),
            (std::vector<float>{110, 120, 130, 210, 220, 230}));
}

TEST(Interpreter, LiteralsRoundToFloat32) {
  Spec s = makeSpec(R"({
    "inputs": { "x": { "dtype": "float32", "shape": [2] } },
    "ops": [ { "op": "add", "inputs": ["x", 0.1], "output": "y" },
             { "op": "add", "inputs": ["x", 16777217], "output": "z" },
             { "op": "mul", "inputs": [0.5, 3], "output": "k" } ],
    "outputs": ["y", "z", "k"],
    "shapes": [ {} ] })");
  auto out = interpret(s, {}, {{"x", floats({2}, {0.0f, -0.0f})}});
  // 0 + 0.1 is 0.1f exactly, not the double 0.1 rounded after the add.
  EXPECT_EQ(floatBits(out.at("y").data[0].f), floatBits(0.1f));
  EXPECT_EQ(floatBits(out.at("y").data[1].f), floatBits(0.1f));
  EXPECT_EQ(out.at("z").data[0].f, 16777216.0f);
  // An op on literals only is a 0-d tensor.
  EXPECT_TRUE(out.at("k").type.dims.empty());
  EXPECT_EQ(values(out.at("k")), (std::vector<float>{1.5f}));
}

TEST(Interpreter, BoolPipeline) {
  Spec s = makeSpec(R"({
    "inputs": { "x": { "dtype": "float32", "shape": ["N"] },
                "m": { "dtype": "bool", "shape": ["N"] } },
    "ops": [ { "op": "where", "inputs": ["c", "x", 0], "output": "y" },
             { "op": "gt", "inputs": ["x", 0], "output": "p" },
             { "op": "logical_and", "inputs": ["p", "m"], "output": "c" } ],
    "outputs": ["y", "c"],
    "shapes": [ { "N": 4 } ] })");
  auto out = interpret(s, {{"N", 4}},
                       {{"x", floats({4}, {1, -1, 2, 3})},
                        {"m", bools({4}, {true, true, false, true})}});
  EXPECT_EQ(values(out.at("y")), (std::vector<float>{1, 0, 0, 3}));
  EXPECT_EQ(out.at("c").type.dtype, DType::Bool);
  std::vector<bool> c;
  for (const Scalar &x : out.at("c").data)
    c.push_back(x.b);
  EXPECT_EQ(c, (std::vector<bool>{true, false, false, true}));
}

TEST(Interpreter, InputsMustMatch) {
  Spec s = makeSpec(R"({
    "inputs": { "x": { "dtype": "float32", "shape": ["N"] } },
    "ops": [ { "op": "relu", "inputs": ["x"], "output": "y" } ],
    "outputs": ["y"],
    "shapes": [ { "N": 2 } ] })");
  auto err = [&](std::map<std::string, Tensor<Scalar>> in) -> std::string {
    try {
      interpret(s, {{"N", 2}}, in);
    } catch (const UserError &e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(err({}), "t.json: interpreter: input 'x' is missing at N=2");
  EXPECT_EQ(err({{"x", floats({3}, {1, 2, 3})}}),
            "t.json: interpreter: input 'x' is float32[3], expected "
            "float32[2] at N=2");
  EXPECT_EQ(err({{"x", bools({2}, {true, false})}}),
            "t.json: interpreter: input 'x' is bool[2], expected float32[2] "
            "at N=2");
  EXPECT_EQ(err({{"x", floats({2}, {1})}}),
            "t.json: interpreter: input 'x' has 1 elements, expected 2 at N=2");
  Tensor<Scalar> mixed = floats({2}, {1, 2});
  mixed.data[1] = ConcreteDomain::boolean(true);
  EXPECT_EQ(err({{"x", mixed}}), "t.json: interpreter: input 'x' holds a bool "
                                 "element, expected float32 at N=2");
  EXPECT_EQ(err({{"x", floats({2}, {1, 2})}, {"q", floats({}, {1})}}),
            "t.json: interpreter: 'q' is not an input of the spec at N=2");
  // Any binding may be interpreted, not only the listed ones.
  auto out = interpret(s, {{"N", 3}}, {{"x", floats({3}, {-1, -0.0f, 2})}});
  EXPECT_EQ(floatBits(out.at("y").data[1].f), 0x80000000u);
}

TEST(Interpreter, EvaluateKeepsIntermediates) {
  Spec s = makeSpec(R"({
    "inputs": { "x": { "dtype": "float32", "shape": [2] } },
    "ops": [ { "op": "neg", "inputs": ["x"], "output": "a" },
             { "op": "abs", "inputs": ["a"], "output": "y" } ],
    "outputs": ["y"],
    "shapes": [ {} ] })");
  ConcreteDomain d;
  auto all = evaluate(
      s, {}, std::map<std::string, Tensor<Scalar>>{{"x", floats({2}, {1, -2})}},
      d);
  EXPECT_EQ(all.size(), 3u);
  EXPECT_EQ(values(all.at("a")), (std::vector<float>{-1, 2}));
  EXPECT_EQ(values(all.at("y")), (std::vector<float>{1, 2}));
}
