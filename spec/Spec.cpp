// Small pieces of the spec model: dtypes, domains, tolerances, look-ups.
#include "spec/Spec.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace ksynth::spec {

namespace {

std::string formatBound(double v) {
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[32]; // shortest form that round-trips
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

nlohmann::json boundJson(double v) {
  if (std::isinf(v)) // JSON has no infinity; parseSpec reads these strings
    return v < 0 ? "-inf" : "inf";
  return v;
}

} // namespace

std::string toString(DType t) {
  return t == DType::Float32 ? "float32" : "bool";
}

std::optional<DType> parseDType(const std::string &s) {
  if (s == "float32")
    return DType::Float32;
  if (s == "bool")
    return DType::Bool;
  return std::nullopt;
}

std::string formatBinding(const ShapeBinding &b) {
  std::string s;
  for (const auto &[k, v] : b)
    s += (s.empty() ? "" : ", ") + k + "=" + std::to_string(v);
  return s;
}

std::string Domain::describe() const {
  switch (kind) {
  case Kind::All:
    return "all float32 (incl. NaN, +-inf, -0)";
  case Kind::Finite:
    return "finite float32 (no NaN or +-inf)";
  case Kind::Range:
    return "range [" + formatBound(lo) + ", " + formatBound(hi) + "] (no NaN)";
  }
  return "?";
}

nlohmann::json Domain::toJson() const {
  switch (kind) {
  case Kind::All:
    return "all";
  case Kind::Finite:
    return "finite";
  case Kind::Range:
    return {{"range", {boundJson(lo), boundJson(hi)}}};
  }
  return nullptr;
}

std::string Tolerance::describe() const {
  if (!bitExact()) {
    std::string s = "atol " + formatBound(atol) + ", rtol " + formatBound(rtol);
    return ignoreZeroSign ? s + ", +0 matches -0" : s;
  }
  return ignoreZeroSign ? "bit-exact up to the sign of zero (every NaN equals "
                          "every NaN, +0 matches -0)"
                        : "bit-exact (every NaN equals every NaN, +0 differs "
                          "from -0)";
}

nlohmann::json Tolerance::toJson() const {
  return {{"atol", atol}, {"rtol", rtol}, {"ignore_zero_sign", ignoreZeroSign}};
}

const TensorDecl *Spec::findInput(const std::string &n) const {
  for (const TensorDecl &d : inputs)
    if (d.name == n)
      return &d;
  return nullptr;
}

Domain Spec::domainOf(const std::string &input) const {
  auto it = domains.find(input);
  return it == domains.end() ? Domain{} : it->second;
}

int64_t TensorType::numel() const {
  int64_t n = 1;
  for (int64_t d : dims)
    if (__builtin_mul_overflow(n, d, &n))
      return INT64_MAX; // inferTypes rejects anything over 2^31
  return n;
}

} // namespace ksynth::spec
