// Helpers for the op tests: build a one-op spec around given tensors, run
// the float32 (or ideal) interpreter, compare bit patterns.
#pragma once

#include "spec/Interpreter.h"

#include "support/Error.h"
#include "support/Float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace ksynth::spec::test {

using json = nlohmann::json;

inline const float kNaN = std::numeric_limits<float>::quiet_NaN();
inline const float kInf = std::numeric_limits<float>::infinity();

inline Tensor<Scalar> floats(std::vector<int64_t> dims, std::vector<float> v) {
  Tensor<Scalar> t;
  t.type.dtype = DType::Float32;
  t.type.dims = std::move(dims);
  for (float x : v)
    t.data.push_back(ConcreteDomain::f32(x));
  return t;
}

inline Tensor<Scalar> ints(std::vector<int64_t> dims, std::vector<int64_t> v) {
  Tensor<Scalar> t;
  t.type.dtype = DType::Int64;
  t.type.dims = std::move(dims);
  for (int64_t x : v)
    t.data.push_back(ConcreteDomain::i64(x));
  return t;
}

inline std::vector<float> values(const Tensor<Scalar> &t) {
  std::vector<float> v;
  for (const Scalar &s : t.data)
    v.push_back(s.f);
  return v;
}

inline std::vector<int64_t> indices(const Tensor<Scalar> &t) {
  std::vector<int64_t> v;
  for (const Scalar &s : t.data) {
    EXPECT_EQ(s.type, DType::Int64);
    v.push_back(s.i);
  }
  return v;
}

// A spec with the given inputs (constant shapes), one op `op` over
// `operands` (tensor names or numbers) writing "y", and a tolerance (every
// op accepts one; several need one).
inline json oneOpSpec(const std::vector<std::pair<std::string, TensorType>> &in,
                      const std::string &op, const json &operands,
                      const json &attrs) {
  json j;
  j["inputs"] = json::object();
  for (const auto &[name, t] : in)
    j["inputs"][name] = {{"dtype", toString(t.dtype)}, {"shape", t.dims}};
  j["ops"] = json::array(
      {{{"op", op}, {"inputs", operands}, {"output", "y"}, {"attrs", attrs}}});
  j["outputs"] = {"y"};
  j["shapes"] = json::array({json::object()});
  j["tolerance"] = {{"rtol", 1e-6}};
  return j;
}

// Runs `op` over the named tensors (in operand order) and returns "y".
inline Tensor<Scalar>
runOp(const std::string &op,
      const std::vector<std::pair<std::string, Tensor<Scalar>>> &in,
      const json &attrs = json::object()) {
  std::vector<std::pair<std::string, TensorType>> decls;
  std::map<std::string, Tensor<Scalar>> inputs;
  json operands = json::array();
  for (const auto &[name, t] : in) {
    decls.emplace_back(name, t.type);
    inputs[name] = t;
    operands.push_back(name);
  }
  Spec s = parseSpec(oneOpSpec(decls, op, operands, attrs), "op.json");
  return interpret(s, {}, inputs).at("y");
}

inline Tensor<IdealScalar>
runIdeal(const std::string &op,
         const std::vector<std::pair<std::string, Tensor<Scalar>>> &in,
         const json &attrs = json::object()) {
  std::vector<std::pair<std::string, TensorType>> decls;
  std::map<std::string, Tensor<Scalar>> inputs;
  json operands = json::array();
  for (const auto &[name, t] : in) {
    decls.emplace_back(name, t.type);
    inputs[name] = t;
    operands.push_back(name);
  }
  Spec s = parseSpec(oneOpSpec(decls, op, operands, attrs), "op.json");
  return interpretIdeal(s, {}, inputs).at("y");
}

// The error parseSpec gives for `op` over tensors of these types ("" if
// none).
inline std::string
opError(const std::string &op,
        const std::vector<std::pair<std::string, TensorType>> &in,
        const json &attrs = json::object()) {
  json operands = json::array();
  for (const auto &[name, t] : in)
    operands.push_back(name);
  try {
    parseSpec(oneOpSpec(in, op, operands, attrs), "op.json");
  } catch (const UserError &e) {
    return e.what();
  }
  return "";
}

inline TensorType f32Type(std::vector<int64_t> dims) {
  return {DType::Float32, std::move(dims)};
}

// Bit-exact float comparison of whole vectors; every NaN equals every NaN.
inline ::testing::AssertionResult sameBits(const std::vector<float> &got,
                                           const std::vector<float> &want) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure()
           << got.size() << " elements, expected " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    bool ok = std::isnan(want[i]) ? std::isnan(got[i])
                                  : floatBits(got[i]) == floatBits(want[i]);
    if (!ok)
      return ::testing::AssertionFailure()
             << "element " << i << ": got " << formatFloat(got[i]) << " ("
             << formatBits(floatBits(got[i])) << "), expected "
             << formatFloat(want[i]) << " (" << formatBits(floatBits(want[i]))
             << ")";
  }
  return ::testing::AssertionSuccess();
}

// Every element within `rel` (relative) of the double expectation.
inline ::testing::AssertionResult near(const std::vector<float> &got,
                                       const std::vector<double> &want,
                                       double rel = 1e-6) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure()
           << got.size() << " elements, expected " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    double g = got[i];
    bool ok = std::isnan(want[i]) ? std::isnan(g)
              : std::isinf(want[i])
                  ? g == want[i]
                  : std::fabs(g - want[i]) <= rel * std::fabs(want[i]) + 1e-12;
    if (!ok)
      return ::testing::AssertionFailure()
             << "element " << i << ": got " << g << ", expected " << want[i];
  }
  return ::testing::AssertionSuccess();
}

} // namespace ksynth::spec::test
