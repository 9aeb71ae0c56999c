// The summation form of the tolerance (docs/spec-format.md "Tolerance"):
// parsing and its one-line errors, Tolerance::accepts with a magnitude,
// and spec::interpretMagnitudes for sum, mean and matmul.
#include "spec/Interpreter.h"
#include "spec/Spec.h"
#include "support/Error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

using namespace ksynth;
using namespace ksynth::spec;
using json = nlohmann::json;

namespace {

std::string parseErr(const json &j) {
  try {
    parseSpec(j, "s.json");
  } catch (const UserError &e) {
    return e.what();
  }
  return "";
}

json rowSum(const char *op = "sum") {
  json j = json::parse(R"({
    "inputs": { "x": { "dtype": "float32", "shape": [2, 3] } },
    "ops": [ { "op": "sum", "inputs": ["x"], "output": "y",
               "attrs": { "dim": 1 } } ],
    "outputs": ["y"],
    "shapes": [ {} ],
    "tolerance": { "sum_rtol": 1e-5 } })");
  j["ops"][0]["op"] = op;
  return j;
}

Tensor<Scalar> f32(std::vector<int64_t> dims, std::vector<float> v) {
  Tensor<Scalar> t;
  t.type = {DType::Float32, dims};
  for (float x : v)
    t.data.push_back({DType::Float32, x, false, 0});
  return t;
}

TEST(SumFormTolerance, Parsed) {
  Spec s = parseSpec(rowSum(), "s.json");
  EXPECT_TRUE(s.tolerance.sumForm());
  EXPECT_FALSE(s.tolerance.bitExact());
  EXPECT_EQ(s.tolerance.sumRtol, 1e-5);
  EXPECT_NE(s.tolerance.describe().find("summation form"), std::string::npos);
  EXPECT_EQ(s.tolerance.toJson()["form"], "summation");
  // A spec that needs a tolerance (sum) is satisfied by sum_rtol alone.
  EXPECT_EQ(parseErr(rowSum("mean")), "");
}

TEST(SumFormTolerance, OneLineErrors) {
  json j = rowSum();
  j["tolerance"] = {{"sum_rtol", -1}};
  EXPECT_EQ(parseErr(j), "s.json: tolerance: 'sum_rtol' must be >= 0");
  j["tolerance"] = {{"sum_rtol", std::numeric_limits<double>::infinity()}};
  EXPECT_EQ(parseErr(j), "s.json: tolerance: 'sum_rtol' must be finite");
  j["tolerance"] = {{"sum_rtol", 1e-5}, {"rtol", 1e-5}};
  EXPECT_NE(parseErr(j).find("'sum_rtol' and 'rtol' exclude each other"),
            std::string::npos);
  // Not an op that sums, or not over spec inputs.
  j = rowSum("softmax");
  j["ops"][0]["attrs"] = {{"dim", 1}};
  EXPECT_EQ(parseErr(j),
            "s.json: tolerance: 'sum_rtol' applies only to outputs of sum, "
            "mean or matmul over spec inputs: output 'y' is computed by "
            "softmax, not by sum, mean or matmul");
  j = rowSum();
  j["ops"] = json::parse(R"([
    { "op": "relu", "inputs": ["x"], "output": "r" },
    { "op": "sum", "inputs": ["r"], "output": "y", "attrs": { "dim": 1 } } ])");
  EXPECT_EQ(parseErr(j), "s.json: tolerance: 'sum_rtol' applies only to "
                         "outputs of sum, mean or matmul over spec inputs: "
                         "output 'y': sum's operands must be float32 spec "
                         "inputs (the terms it sums)");
  for (const std::string &e : {parseErr(j)})
    EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(SumFormTolerance, AcceptsWithinSumRtolTimesMagnitude) {
  Tolerance t;
  t.sumRtol = 1e-3;
  // ref 0 (a cancelling row) with terms of magnitude 10 in all.
  EXPECT_TRUE(t.accepts(0.0f, 0.0099f, 10));
  EXPECT_FALSE(t.accepts(0.0f, 0.0101f, 10));
  EXPECT_FALSE(t.accepts(0.0f, 0.0099f, 1)); // needs the magnitude
  // Unknown magnitude: only the same value.
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(t.accepts(1.5f, 1.5f, nan));
  EXPECT_FALSE(t.accepts(1.5f, std::nextafter(1.5f, 2.0f), nan));
  // Infinities and NaN as in every form: an overflowing candidate never
  // matches a finite reference.
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(t.accepts(3e38f, inf, 1e39));
  EXPECT_TRUE(t.accepts(inf, inf, 1e39));
  EXPECT_FALSE(t.accepts(std::nanf(""), 1.0f, 10));
  EXPECT_TRUE(t.accepts(0.0f, -0.0f, 0));
}

TEST(SumFormTolerance, MagnitudesOfSumMeanMatmul) {
  Spec s = parseSpec(rowSum(), "s.json");
  std::map<std::string, Tensor<Scalar>> in{
      {"x", f32({2, 3}, {1, -2, 3, -0.5f, 0.25f, 0})}};
  auto m = interpretMagnitudes(s, {}, in);
  ASSERT_EQ(m.at("y").size(), 2u);
  EXPECT_EQ(m.at("y")[0], 6);
  EXPECT_EQ(m.at("y")[1], 0.75);
  s = parseSpec(rowSum("mean"), "s.json");
  m = interpretMagnitudes(s, {}, in);
  EXPECT_DOUBLE_EQ(m.at("y")[0], 2);
  EXPECT_DOUBLE_EQ(m.at("y")[1], 0.25);
  json j = json::parse(R"({
    "inputs": { "a": { "dtype": "float32", "shape": [1, 2] },
                "b": { "dtype": "float32", "shape": [2, 1] } },
    "ops": [ { "op": "matmul", "inputs": ["a", "b"], "output": "y" } ],
    "outputs": ["y"], "shapes": [ {} ],
    "tolerance": { "sum_rtol": 1e-5, "atol": 1e-30 } })");
  s = parseSpec(j, "s.json");
  std::map<std::string, Tensor<Scalar>> ab{{"a", f32({1, 2}, {3, -1e20f})},
                                           {"b", f32({2, 1}, {-2, 1e20f})}};
  m = interpretMagnitudes(s, {}, ab);
  // |3 * -2| + |-1e20 * 1e20| = 6 + 1e40 (exact products, in double:
  // beyond float32, yet finite).
  const double big = static_cast<double>(1e20f);
  EXPECT_DOUBLE_EQ(m.at("y")[0], 6 + big * big);
  // No magnitudes for the other forms.
  j["tolerance"] = {{"atol", 1e-5}};
  EXPECT_TRUE(interpretMagnitudes(parseSpec(j, "s.json"), {}, ab).empty());
}

} // namespace
