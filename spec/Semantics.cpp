// The elementwise op table: names, arities, attrs and dtype rules. The
// value semantics live in spec/Semantics.h (applyElementwise); this file
// holds what the parser and the type inference need. Non-elementwise ops
// (reductions, matmul, conv) get their own tables beside this one.
#include "spec/Semantics.h"

#include "support/Error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ksynth::spec {

namespace {

enum class Typing {
  Arith,    // float32 operands -> float32
  Compare,  // float32 operands -> bool
  Equality, // two float32 or two bool operands -> bool
  Logical,  // bool operands -> bool
  Where,    // (bool, float32, float32) -> float32
};

struct OpInfo {
  const char *name;
  int arity;
  Typing typing;
  std::vector<const char *> attrs;
};

const std::vector<OpInfo> &table() {
  static const std::vector<OpInfo> t = {
      {"add", 2, Typing::Arith, {}},
      {"sub", 2, Typing::Arith, {}},
      {"mul", 2, Typing::Arith, {}},
      {"div", 2, Typing::Arith, {}},
      {"neg", 1, Typing::Arith, {}},
      {"abs", 1, Typing::Arith, {}},
      {"minimum", 2, Typing::Arith, {}},
      {"min", 2, Typing::Arith, {}},
      {"maximum", 2, Typing::Arith, {}},
      {"max", 2, Typing::Arith, {}},
      {"clamp", 1, Typing::Arith, {"min", "max"}}, // or 3: x, min, max
      {"relu", 1, Typing::Arith, {}},
      {"relu6", 1, Typing::Arith, {}},
      {"leaky_relu", 1, Typing::Arith, {"negative_slope"}},
      {"hardtanh", 1, Typing::Arith, {"min_val", "max_val"}},
      {"hardsigmoid", 1, Typing::Arith, {}},
      {"gt", 2, Typing::Compare, {}},
      {"ge", 2, Typing::Compare, {}},
      {"lt", 2, Typing::Compare, {}},
      {"le", 2, Typing::Compare, {}},
      {"eq", 2, Typing::Equality, {}},
      {"ne", 2, Typing::Equality, {}},
      {"logical_and", 2, Typing::Logical, {}},
      {"logical_or", 2, Typing::Logical, {}},
      {"logical_not", 1, Typing::Logical, {}},
      {"where", 3, Typing::Where, {}},
  };
  return t;
}

const OpInfo *find(const std::string &op) {
  for (const OpInfo &i : table())
    if (op == i.name)
      return &i;
  return nullptr;
}

// True if `v` rounds to a finite float32 (round to nearest even): below
// the midpoint between FLT_MAX and 2^128.
bool fitsF32(double v) { return std::fabs(v) < 0x1.ffffffp+127; }

std::string formatDouble(double v) { // shortest form that round-trips
  char buf[32];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

std::string join(const std::vector<const char *> &v) {
  std::string s;
  for (const char *x : v)
    s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

} // namespace

int elementwiseArity(const std::string &op, size_t given) {
  const OpInfo *i = find(op);
  if (!i)
    return -1;
  if (op == "clamp" && given == 3)
    return 3;
  return i->arity;
}

bool isElementwiseOp(const std::string &op) { return find(op) != nullptr; }

DType resultType(const OpNode &op, const std::vector<DType> &operands) {
  const OpInfo *i = find(op.op);
  if (!i)
    throw UserError("unknown op '" + op.op + "'");
  int arity = elementwiseArity(op.op, operands.size());
  if (static_cast<size_t>(arity) != operands.size())
    throw UserError(op.op + ": expects " + std::to_string(arity) +
                    " operands, got " + std::to_string(operands.size()));
  auto expect = [&](size_t k, DType want) {
    if (operands[k] != want)
      throw UserError(op.op + ": operand " + std::to_string(k + 1) + " is " +
                      toString(operands[k]) + ", expected " + toString(want));
  };
  switch (i->typing) {
  case Typing::Arith:
  case Typing::Compare:
    for (size_t k = 0; k < operands.size(); ++k)
      expect(k, DType::Float32);
    return i->typing == Typing::Arith ? DType::Float32 : DType::Bool;
  case Typing::Equality:
    if (operands[0] != operands[1])
      throw UserError(op.op + ": operand 1 is " + toString(operands[0]) +
                      " but operand 2 is " + toString(operands[1]) +
                      "; expected the same dtype");
    return DType::Bool;
  case Typing::Logical:
    for (size_t k = 0; k < operands.size(); ++k)
      expect(k, DType::Bool);
    return DType::Bool;
  case Typing::Where:
    expect(0, DType::Bool);
    expect(1, DType::Float32);
    expect(2, DType::Float32);
    return DType::Float32;
  }
  KSYNTH_UNREACHABLE("bad typing rule");
}

float attrF32(const OpNode &op, const char *name, float dflt) {
  if (!op.attrs.is_object() || !op.attrs.contains(name))
    return dflt;
  const nlohmann::json &v = op.attrs.at(name);
  if (!v.is_number())
    throw UserError(op.op + ": attr '" + name + "' must be a number");
  double d = v.get<double>();
  if (!fitsF32(d))
    throw UserError(op.op + ": attr '" + name + "' = " + formatDouble(d) +
                    " is outside the float32 range");
  return static_cast<float>(d);
}

void checkOpSignature(const OpNode &op) {
  const OpInfo *info = find(op.op);
  if (!info) {
    std::vector<const char *> names;
    for (const OpInfo &i : table())
      names.push_back(i.name);
    throw UserError("unknown op '" + op.op + "' (known: " + join(names) + ")");
  }
  size_t given = op.inputs.size();
  int arity = elementwiseArity(op.op, given);
  if (static_cast<size_t>(arity) != given) {
    if (op.op == "clamp")
      throw UserError("expects 1 input (bounds in attrs 'min'/'max') or 3 "
                      "(x, min, max), got " +
                      std::to_string(given));
    throw UserError("expects " + std::to_string(arity) +
                    (arity == 1 ? " input" : " inputs") + ", got " +
                    std::to_string(given));
  }
  for (size_t k = 0; k < given; ++k)
    if (const auto *lit = std::get_if<double>(&op.inputs[k]))
      if (!fitsF32(*lit))
        throw UserError("literal operand " + std::to_string(k + 1) + " (" +
                        formatDouble(*lit) + ") is outside the float32 range");
  if (!op.attrs.is_object())
    throw UserError("attrs must be an object");
  std::vector<const char *> known = info->attrs;
  if (op.op == "clamp" && given == 3)
    known.clear(); // bounds are the operands
  for (const auto &[key, value] : op.attrs.items()) {
    bool ok = false;
    for (const char *k : known)
      ok = ok || key == k;
    if (!ok) {
      if (op.op == "clamp" && given == 3)
        throw UserError("clamp with tensor bounds takes no attrs, got '" + key +
                        "'");
      if (known.empty())
        throw UserError("takes no attrs, got '" + key + "'");
      throw UserError("unknown attr '" + key + "' (known: " + join(known) +
                      ")");
    }
    if (!value.is_number())
      throw UserError("attr '" + key + "' must be a number, got " +
                      value.dump());
    double d = value.get<double>();
    if (!fitsF32(d))
      throw UserError("attr '" + key + "' = " + formatDouble(d) +
                      " is outside the float32 range");
  }
  if (op.op == "clamp" && given == 1 && op.attrs.empty())
    throw UserError("needs attr 'min' or 'max' (or bounds as inputs 2 and 3)");
}

} // namespace ksynth::spec
