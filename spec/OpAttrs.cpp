// Attribute schemas and typed readers (spec/OpAttrs.h).
#include "spec/OpAttrs.h"

#include "support/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ksynth::spec {

namespace {

using json = nlohmann::json;

bool isInt(const json &v) {
  if (v.is_number_integer())
    return !(v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX);
  return false;
}

std::string quoted(const std::vector<const char *> &choices) {
  std::string s;
  for (size_t i = 0; i < choices.size(); ++i)
    s += (i == 0                    ? ""
          : i + 1 == choices.size() ? " or "
                                    : ", ") +
         std::string("\"") + choices[i] + "\"";
  return s;
}

bool isChoice(const json &v, const std::vector<const char *> &choices) {
  if (!v.is_string())
    return false;
  for (const char *c : choices)
    if (v.get<std::string>() == c)
      return true;
  return false;
}

void checkNumber(const std::string &key, const json &v) {
  if (!v.is_number())
    throw UserError("attr '" + key + "' must be a number, got " + v.dump());
  double d = v.get<double>();
  if (!fitsF32(d))
    throw UserError("attr '" + key + "' = " + formatNumber(d) +
                    " is outside the float32 range");
}

void checkValue(const std::string &key, const json &v, const AttrSpec &a) {
  switch (a.kind) {
  case AttrKind::Float:
    checkNumber(key, v);
    return;
  case AttrKind::Int:
    if (!isInt(v))
      throw UserError("attr '" + key + "' must be an integer, got " + v.dump());
    return;
  case AttrKind::Ints:
  case AttrKind::Dims: {
    if (isInt(v))
      return;
    bool ok = v.is_array() && !v.empty();
    for (const json &x : v.is_array() ? v : json::array())
      ok = ok && isInt(x);
    if (!ok)
      throw UserError("attr '" + key +
                      "' must be an integer or a non-empty list of integers, "
                      "got " +
                      v.dump());
    return;
  }
  case AttrKind::Bool:
    if (!v.is_boolean())
      throw UserError("attr '" + key + "' must be true or false, got " +
                      v.dump());
    return;
  case AttrKind::Choice:
    if (!isChoice(v, a.choices))
      throw UserError("attr '" + key + "' must be " + quoted(a.choices) +
                      ", got " + v.dump());
    return;
  case AttrKind::FloatOrChoice:
    if (isChoice(v, a.choices))
      return;
    if (!v.is_number())
      throw UserError("attr '" + key + "' must be a number or " +
                      quoted(a.choices) + ", got " + v.dump());
    checkNumber(key, v);
    return;
  }
}

const json *find(const OpNode &op, const char *name) {
  if (!op.attrs.is_object() || !op.attrs.contains(name))
    return nullptr;
  return &op.attrs.at(name);
}

} // namespace

bool fitsF32(double v) { return std::fabs(v) < 0x1.ffffffp+127; }

std::string formatNumber(double v) {
  char buf[32];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

std::string joinNames(const std::vector<const char *> &names) {
  std::string s;
  for (const char *x : names)
    s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

void checkAttrs(const OpNode &op, const std::vector<AttrSpec> &schema) {
  if (!op.attrs.is_object())
    throw UserError("attrs must be an object");
  for (const auto &[key, value] : op.attrs.items()) {
    const AttrSpec *a = nullptr;
    for (const AttrSpec &s : schema)
      if (key == s.name)
        a = &s;
    if (!a) {
      if (schema.empty())
        throw UserError("takes no attrs, got '" + key + "'");
      std::vector<const char *> names;
      for (const AttrSpec &s : schema)
        names.push_back(s.name);
      throw UserError("unknown attr '" + key + "' (known: " + joinNames(names) +
                      ")");
    }
    checkValue(key, value, *a);
  }
  for (const AttrSpec &s : schema)
    if (s.required && !op.attrs.contains(s.name))
      throw UserError(std::string("needs attr '") + s.name + "'");
}

float attrF32(const OpNode &op, const char *name, float dflt) {
  const json *v = find(op, name);
  if (!v)
    return dflt;
  if (!v->is_number())
    throw UserError(op.op + ": attr '" + name + "' must be a number");
  double d = v->get<double>();
  if (!fitsF32(d))
    throw UserError(op.op + ": attr '" + name + "' = " + formatNumber(d) +
                    " is outside the float32 range");
  return static_cast<float>(d);
}

int64_t attrInt(const OpNode &op, const char *name, int64_t dflt) {
  const json *v = find(op, name);
  if (!v)
    return dflt;
  if (!isInt(*v))
    throw UserError(op.op + ": attr '" + name + "' must be an integer");
  return v->get<int64_t>();
}

bool attrBool(const OpNode &op, const char *name, bool dflt) {
  const json *v = find(op, name);
  if (!v)
    return dflt;
  if (!v->is_boolean())
    throw UserError(op.op + ": attr '" + name + "' must be true or false");
  return v->get<bool>();
}

std::string attrStr(const OpNode &op, const char *name, const char *dflt) {
  const json *v = find(op, name);
  if (!v)
    return dflt;
  if (!v->is_string())
    throw UserError(op.op + ": attr '" + name + "' must be a string");
  return v->get<std::string>();
}

std::vector<int64_t> attrInts(const OpNode &op, const char *name, size_t n,
                              int64_t dflt) {
  const json *v = find(op, name);
  if (!v)
    return std::vector<int64_t>(n, dflt);
  if (isInt(*v))
    return std::vector<int64_t>(n, v->get<int64_t>());
  if (!v->is_array())
    throw UserError(std::string("attr '") + name +
                    "' must be an integer or a list of integers");
  if (v->size() != n)
    throw UserError(std::string("attr '") + name + "' has " +
                    std::to_string(v->size()) + " values, expected 1 or " +
                    std::to_string(n));
  std::vector<int64_t> out;
  for (const json &x : *v) {
    if (!isInt(x))
      throw UserError(std::string("attr '") + name +
                      "' must be an integer or a list of integers");
    out.push_back(x.get<int64_t>());
  }
  return out;
}

int64_t wrapDim(int64_t dim, size_t rank) {
  int64_t r = std::max<int64_t>(static_cast<int64_t>(rank), 1);
  if (dim < -r || dim >= r)
    throw UserError("dim " + std::to_string(dim) + " is out of range for a " +
                    std::to_string(rank) + "-d tensor (expected " +
                    std::to_string(-r) + ".." + std::to_string(r - 1) + ")");
  return dim < 0 ? dim + r : dim;
}

std::optional<std::vector<int64_t>> attrDims(const OpNode &op, const char *name,
                                             size_t rank) {
  const json *v = find(op, name);
  if (!v)
    return std::nullopt;
  std::vector<int64_t> raw;
  if (isInt(*v))
    raw.push_back(v->get<int64_t>());
  else if (v->is_array() && !v->empty())
    for (const json &x : *v) {
      if (!isInt(x))
        throw UserError(std::string("attr '") + name +
                        "' must be an integer or a list of integers");
      raw.push_back(x.get<int64_t>());
    }
  else
    throw UserError(std::string("attr '") + name +
                    "' must be an integer or a non-empty list of integers");
  std::vector<int64_t> dims;
  for (int64_t d : raw) {
    int64_t w = wrapDim(d, rank);
    if (std::find(dims.begin(), dims.end(), w) != dims.end())
      throw UserError(std::string("attr '") + name + "' names dim " +
                      std::to_string(w) + " twice");
    dims.push_back(w);
  }
  std::sort(dims.begin(), dims.end());
  return dims;
}

} // namespace ksynth::spec
