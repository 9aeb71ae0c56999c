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
  switch (t) {
  case DType::Float32:
    return "float32";
  case DType::Bool:
    return "bool";
  case DType::Int64:
    return "int64";
  }
  return "?";
}

std::optional<DType> parseDType(const std::string &s) {
  if (s == "float32")
    return DType::Float32;
  if (s == "bool")
    return DType::Bool;
  if (s == "int64")
    return DType::Int64;
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
  if (sumForm())
    return "summation form: |candidate - reference| <= atol + sum_rtol * "
           "sum_i |t_i|, t_i the terms the op sums (sum: the elements; mean: "
           "the elements / n; matmul: the products a[i,k] * b[k,j]), with "
           "atol " +
           formatBound(atol) + ", sum_rtol " + formatBound(sumRtol) +
           " (NaN matches only NaN, an infinity only itself)";
  if (!bitExact()) // +0 always matches -0 here (their difference is 0)
    return "|candidate - reference| <= atol + rtol * |reference| with atol " +
           formatBound(atol) + ", rtol " + formatBound(rtol) +
           " (NaN matches only NaN, an infinity only itself)";
  return ignoreZeroSign ? "bit-exact up to the sign of zero (every NaN equals "
                          "every NaN, +0 matches -0)"
                        : "bit-exact (every NaN equals every NaN, +0 differs "
                          "from -0)";
}

bool Tolerance::accepts(float ref, float cand, double mag) const {
  if (std::isnan(ref) || std::isnan(cand))
    return std::isnan(ref) && std::isnan(cand);
  if (std::isinf(ref) || std::isinf(cand))
    return ref == cand;
  if (bitExact()) {
    if (ref != cand)
      return false;
    return ignoreZeroSign || std::signbit(ref) == std::signbit(cand);
  }
  double r = ref, c = cand; // exact; the difference rounds once at most
  if (sumForm()) {
    if (std::isnan(mag)) // unknown magnitudes: only the same value matches
      return c == r;
    return std::fabs(c - r) <= atol + sumRtol * mag;
  }
  return std::fabs(c - r) <= atol + rtol * std::fabs(r);
}

nlohmann::json Tolerance::toJson() const {
  nlohmann::json j = {
      {"atol", atol}, {"rtol", rtol}, {"ignore_zero_sign", ignoreZeroSign}};
  if (sumForm()) {
    j.erase("rtol");
    j["sum_rtol"] = sumRtol;
    j["form"] = "summation";
  }
  return j;
}

std::string sumFormRefusal(const Spec &s, const std::string &out) {
  const OpNode *def = nullptr;
  for (const OpNode &op : s.ops)
    if (op.output == out)
      def = &op;
  if (!def)
    return "output '" + out + "' is a spec input, not the result of a sum";
  if (def->op != "sum" && def->op != "mean" && def->op != "matmul")
    return "output '" + out + "' is computed by " + def->op +
           ", not by sum, mean or matmul";
  for (const Operand &x : def->inputs) {
    const auto *name = std::get_if<std::string>(&x);
    const TensorDecl *in = name ? s.findInput(*name) : nullptr;
    if (!in || in->dtype != DType::Float32)
      return "output '" + out + "': " + def->op +
             "'s operands must be float32 spec inputs (the terms it sums)";
  }
  return "";
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
