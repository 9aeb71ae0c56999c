// topoOrder: dependencies first, file order among independent ops.
#include "spec/Spec.h"

#include "support/Error.h"

#include <gtest/gtest.h>

using namespace ksynth;
using namespace ksynth::spec;
using json = nlohmann::json;

namespace {

std::vector<std::string> orderOf(const Spec &s) {
  std::vector<std::string> v;
  for (const OpNode *op : topoOrder(s))
    v.push_back(op->output);
  return v;
}

Spec withOps(const std::string &ops, const std::string &outputs) {
  return parseSpec(json::parse(R"({
    "inputs": { "x": { "dtype": "float32", "shape": ["N"] } },
    "ops": )" + ops + R"(, "outputs": )" +
                               outputs + R"(, "shapes": [ { "N": 3 } ] })"),
                   "g.json");
}

} // namespace

TEST(SpecGraph, OutOfOrderOpsAreSorted) {
  Spec s = withOps(R"([
    { "op": "add", "inputs": ["b", "c"], "output": "d" },
    { "op": "relu", "inputs": ["a"], "output": "b" },
    { "op": "neg", "inputs": ["x"], "output": "a" },
    { "op": "abs", "inputs": ["a"], "output": "c" }])",
                   R"(["d"])");
  EXPECT_EQ(orderOf(s), (std::vector<std::string>{"a", "b", "c", "d"}));
  // Pointers refer into s.ops.
  EXPECT_EQ(topoOrder(s)[0], &s.ops[2]);
}

TEST(SpecGraph, RespectsEveryEdge) {
  Spec s = withOps(R"([
    { "op": "mul", "inputs": ["e", "a"], "output": "f" },
    { "op": "add", "inputs": ["c", "d"], "output": "e" },
    { "op": "sub", "inputs": ["b", "x"], "output": "d" },
    { "op": "neg", "inputs": ["b"], "output": "c" },
    { "op": "abs", "inputs": ["a"], "output": "b" },
    { "op": "relu", "inputs": ["x"], "output": "a" }])",
                   R"(["f"])");
  auto order = topoOrder(s);
  ASSERT_EQ(order.size(), s.ops.size());
  std::map<std::string, size_t> pos;
  for (size_t i = 0; i < order.size(); ++i)
    pos[order[i]->output] = i;
  for (const OpNode &op : s.ops)
    for (const Operand &x : op.inputs)
      if (const auto *n = std::get_if<std::string>(&x); n && *n != "x") {
        EXPECT_LT(pos.at(*n), pos.at(op.output)) << *n << " -> " << op.output;
      }
}

TEST(SpecGraph, KeepsFileOrderWhenAlreadySorted) {
  Spec s = withOps(R"([
    { "op": "neg", "inputs": ["x"], "output": "p" },
    { "op": "abs", "inputs": ["x"], "output": "q" },
    { "op": "add", "inputs": ["p", "q"], "output": "r" },
    { "op": "relu", "inputs": ["x"], "output": "s" }])",
                   R"(["r", "s"])");
  EXPECT_EQ(orderOf(s), (std::vector<std::string>{"p", "q", "r", "s"}));
}

TEST(SpecGraph, CycleIsAUserError) {
  // A hand-built spec that skipped parseSpec still gets the cycle error.
  Spec s;
  s.path = "h.json";
  OpNode a, b, c;
  a.op = "relu", a.inputs = {std::string("c")}, a.output = "a", a.line = 0;
  b.op = "neg", b.inputs = {std::string("a")}, b.output = "b", b.line = 1;
  c.op = "abs", c.inputs = {std::string("b")}, c.output = "c", c.line = 2;
  s.ops = {a, b, c};
  try {
    topoOrder(s);
    ADD_FAILURE() << "no error";
  } catch (const UserError &e) {
    EXPECT_EQ(std::string(e.what()),
              "h.json: the ops form a cycle through tensor 'a': op 0 (relu) "
              "-> 'a' -> op 1 (neg) -> 'b' -> op 2 (abs) -> 'c' -> op 0 "
              "(relu)");
  }
}
