// The elementwise op table: names, arities, attrs and dtype rules. The
// value semantics live in spec/Semantics.h (applyElementwise); this file
// holds what the parser and the type inference need. The tensor ops
// (reductions, matmul, conv, ...) have their table in spec/OpTable.cpp.
#include "spec/Semantics.h"

#include "spec/OpTable.h"

#include "support/Error.h"

namespace ksynth::spec {

namespace {

enum class Typing {
  Arith,    // float32 operands -> float32
  Compare,  // float32 operands -> bool
  Equality, // two float32, two bool or two int64 operands -> bool
  Logical,  // bool operands -> bool
  Where,    // (bool, float32, float32) -> float32
};

using K = AttrKind;

struct OpInfo {
  const char *name;
  int arity;
  Typing typing;
  std::vector<AttrSpec> attrs;
};

const std::vector<OpInfo> &table() {
  static const std::vector<OpInfo> t = {
      {"add", 2, Typing::Arith, {}},
      {"sub", 2, Typing::Arith, {}},
      {"mul", 2, Typing::Arith, {}},
      {"div", 2, Typing::Arith, {}},
      {"neg", 1, Typing::Arith, {}},
      {"abs", 1, Typing::Arith, {}},
      {"sqrt", 1, Typing::Arith, {}},
      {"minimum", 2, Typing::Arith, {}},
      {"min", 2, Typing::Arith, {}},
      {"maximum", 2, Typing::Arith, {}},
      {"max", 2, Typing::Arith, {}},
      {"clamp", 1, Typing::Arith, {{"min", K::Float}, {"max", K::Float}}},
      // clamp: or 3 inputs (x, min, max)
      {"relu", 1, Typing::Arith, {}},
      {"relu6", 1, Typing::Arith, {}},
      {"leaky_relu", 1, Typing::Arith, {{"negative_slope", K::Float}}},
      {"hardtanh",
       1,
       Typing::Arith,
       {{"min_val", K::Float}, {"max_val", K::Float}}},
      {"hardsigmoid", 1, Typing::Arith, {}},
      {"hardswish", 1, Typing::Arith, {}},
      {"sigmoid", 1, Typing::Arith, {}},
      {"tanh", 1, Typing::Arith, {}},
      {"exp", 1, Typing::Arith, {}},
      {"log", 1, Typing::Arith, {}},
      {"softplus",
       1,
       Typing::Arith,
       {{"beta", K::Float}, {"threshold", K::Float}}},
      {"elu", 1, Typing::Arith, {{"alpha", K::Float}}},
      {"selu", 1, Typing::Arith, {}},
      {"gelu",
       1,
       Typing::Arith,
       {{"approximate", K::Choice, {"none", "tanh"}}}},
      {"silu", 1, Typing::Arith, {}},
      {"mish", 1, Typing::Arith, {}},
      {"softsign", 1, Typing::Arith, {}},
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

void checkOpSignature(const OpNode &op) {
  const OpInfo *info = find(op.op);
  if (!info && !isTensorOpName(op.op)) {
    std::vector<const char *> names;
    for (const OpInfo &i : table())
      names.push_back(i.name);
    for (const char *n : tensorOpNames())
      names.push_back(n);
    throw UserError("unknown op '" + op.op + "' (known: " + joinNames(names) +
                    ")");
  }
  size_t given = op.inputs.size();
  if (op.op == "max" || op.op == "min") {
    if (given != 1 && given != 2)
      throw UserError("expects 2 inputs (elementwise) or 1 (a reduction "
                      "along attr 'dim'), got " +
                      std::to_string(given));
  }
  if (isTensorOp(op)) {
    checkTensorOpSignature(op);
    return;
  }
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
                        formatNumber(*lit) + ") is outside the float32 range");
  if (op.op == "clamp" && given == 3) {
    if (!op.attrs.is_object())
      throw UserError("attrs must be an object");
    if (!op.attrs.empty())
      throw UserError("clamp with tensor bounds takes no attrs, got '" +
                      op.attrs.begin().key() + "'");
    return;
  }
  checkAttrs(op, info->attrs);
  if (op.op == "clamp" && op.attrs.empty())
    throw UserError("needs attr 'min' or 'max' (or bounds as inputs 2 and 3)");
}

} // namespace ksynth::spec
