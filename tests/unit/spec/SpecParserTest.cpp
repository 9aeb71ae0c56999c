// parseSpec: a valid spec, and every validation error with its message.
#include "spec/Spec.h"

#include "support/Error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <unistd.h>

using namespace ksynth;
using namespace ksynth::spec;
using json = nlohmann::json;

namespace {

json base() {
  return json::parse(R"({
    "name": "t",
    "inputs": { "x": { "dtype": "float32", "shape": ["N"] } },
    "ops": [ { "op": "relu", "inputs": ["x"], "output": "y" } ],
    "outputs": ["y"],
    "shapes": [ { "N": 4 } ]
  })");
}

std::string err(const json &j) {
  try {
    parseSpec(j, "specs/x.json");
  } catch (const UserError &e) {
    EXPECT_EQ(e.code(), ExitCode::InputError);
    std::string m = e.what();
    EXPECT_EQ(m.find('\n'), std::string::npos) << "one line: " << m;
    EXPECT_EQ(m.rfind("specs/x.json: ", 0), 0u) << "names the file: " << m;
    return m;
  }
  ADD_FAILURE() << "no error for " << j.dump();
  return "";
}

#define EXPECT_ERR(j, needle)                                                  \
  do {                                                                         \
    std::string m_ = err(j);                                                   \
    EXPECT_NE(m_.find(needle), std::string::npos)                              \
        << "message: '" << m_ << "'\nexpected to contain: '" << (needle)       \
        << "'";                                                                \
  } while (0)

std::string writeTemp(const std::string &name, const std::string &text) {
  auto dir = std::filesystem::temp_directory_path() /
             ("ksynth_spec_tests_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

} // namespace

TEST(SpecParser, FullSpec) {
  json j = json::parse(R"({
    "name": "hardtanh",
    "inputs":  { "x": { "dtype": "float32", "shape": ["N"] },
                 "m": { "dtype": "bool", "shape": [] },
                 "w": { "dtype": "float32", "shape": [2, "(N+3)/4"] } },
    "ops": [
      { "op": "hardtanh", "inputs": ["x"], "output": "y",
        "attrs": { "min_val": -1.0, "max_val": 1 } },
      { "op": "add", "inputs": ["y", 0.5], "output": "z" }
    ],
    "outputs": ["z", "y"],
    "domain":  { "x": { "range": [-2, 2.5] }, "w": "finite", "m": "all" },
    "shapes":  [ { "N": 67 }, { "N": 64 } ],
    "tolerance": { "atol": 0, "rtol": 0, "ignore_zero_sign": true }
  })");
  Spec s = parseSpec(j, "a.json");
  EXPECT_EQ(s.path, "a.json");
  EXPECT_EQ(s.name, "hardtanh");
  ASSERT_EQ(s.inputs.size(), 3u);
  const TensorDecl *w = s.findInput("w");
  ASSERT_TRUE(w);
  ASSERT_EQ(w->shape.size(), 2u);
  EXPECT_EQ(w->shape[0].eval({}), 2);
  EXPECT_EQ(w->shape[1].eval({{"N", 67}}), 17);
  EXPECT_EQ(s.findInput("m")->dtype, DType::Bool);
  EXPECT_TRUE(s.findInput("m")->shape.empty());
  EXPECT_EQ(s.findInput("y"), nullptr);
  ASSERT_EQ(s.ops.size(), 2u);
  EXPECT_EQ(s.ops[1].line, 1);
  EXPECT_EQ(std::get<double>(s.ops[1].inputs[1]), 0.5);
  EXPECT_EQ(std::get<std::string>(s.ops[1].inputs[0]), "y");
  EXPECT_EQ(s.ops[0].attrs["max_val"], 1);
  EXPECT_EQ(s.outputs, (std::vector<std::string>{"z", "y"}));
  EXPECT_EQ(s.domainOf("x").kind, Domain::Kind::Range);
  EXPECT_EQ(s.domainOf("x").lo, -2);
  EXPECT_EQ(s.domainOf("x").hi, 2.5);
  EXPECT_EQ(s.domainOf("w").kind, Domain::Kind::Finite);
  EXPECT_EQ(s.domainOf("m").kind, Domain::Kind::All);
  ASSERT_EQ(s.shapes.size(), 2u);
  EXPECT_EQ(s.shapes[0].at("N"), 67);
  EXPECT_TRUE(s.tolerance.ignoreZeroSign);
  EXPECT_TRUE(s.tolerance.bitExact());
}

TEST(SpecParser, Defaults) {
  json j = base();
  j.erase("name");
  Spec s = parseSpec(j, "a.json");
  EXPECT_EQ(s.name, "");
  EXPECT_EQ(s.domainOf("x").kind, Domain::Kind::All);
  EXPECT_FALSE(s.tolerance.ignoreZeroSign);
  EXPECT_TRUE(s.tolerance.bitExact());
}

TEST(SpecParser, ConstantShapesNeedOneEmptyBinding) {
  json j = base();
  j["inputs"]["x"]["shape"] = {3, 2};
  j["shapes"] = json::array({json::object()});
  EXPECT_EQ(parseSpec(j, "a.json").shapes.size(), 1u);
}

TEST(SpecParser, OutputMayBeAnyDefinedTensor) {
  json j = base();
  j["outputs"] = {"y", "x"};
  EXPECT_EQ(parseSpec(j, "a.json").outputs.size(), 2u);
}

TEST(SpecParser, DomainDescribeAndJson) {
  json j = base();
  j["domain"] = json::parse(R"({"x": {"range": ["-inf", 1.5]}})");
  Spec s = parseSpec(j, "a.json");
  Domain d = s.domainOf("x");
  EXPECT_TRUE(std::isinf(d.lo) && d.lo < 0);
  EXPECT_EQ(d.describe(), "range [-inf, 1.5] (no NaN)");
  EXPECT_EQ(d.toJson(), json::parse(R"({"range": ["-inf", 1.5]})"));
  EXPECT_EQ(Domain{}.toJson(), "all");
  EXPECT_EQ(Domain{}.describe(), "all float32 (incl. NaN, +-inf, -0)");
  Domain f;
  f.kind = Domain::Kind::Finite;
  EXPECT_EQ(f.toJson(), "finite");
  Tolerance t;
  EXPECT_EQ(t.toJson(),
            json::parse(R"({"atol":0.0,"rtol":0.0,"ignore_zero_sign":false})"));
  EXPECT_NE(t.describe().find("bit-exact"), std::string::npos);
  t.ignoreZeroSign = true;
  EXPECT_NE(t.describe().find("sign of zero"), std::string::npos);
}

TEST(SpecParser, TopLevelErrors) {
  EXPECT_ERR(json::array(), "a spec must be a JSON object");
  json j = base();
  j["domian"] = json::object();
  EXPECT_ERR(j, "unknown top-level key 'domian'");
  for (const char *k : {"inputs", "ops", "outputs", "shapes"}) {
    j = base();
    j.erase(k);
    EXPECT_ERR(j, std::string("missing required key '") + k + "'");
  }
  j = base();
  j["name"] = 3;
  EXPECT_ERR(j, "'name' must be a string");
}

TEST(SpecParser, InputErrors) {
  json j = base();
  j["inputs"]["x"]["dtype"] = "float64";
  EXPECT_ERR(j, "input 'x': unknown dtype 'float64'");
  j = base();
  j["inputs"]["x"].erase("dtype");
  EXPECT_ERR(j, "input 'x': 'dtype' must be");
  j = base();
  j["inputs"]["x"]["layout"] = "nchw";
  EXPECT_ERR(j, "input 'x': unknown key 'layout'");
  j = base();
  j["inputs"]["x"]["shape"] = "N";
  EXPECT_ERR(j, "input 'x': 'shape' must be a list");
  j = base();
  j["inputs"]["x"]["shape"] = {0};
  EXPECT_ERR(j, "input 'x' dim 0 is 0; dims must be >= 1");
  j = base();
  j["inputs"]["x"]["shape"] = {2.5};
  EXPECT_ERR(j, "input 'x' dim 0 must be an integer or an expression");
  j = base();
  j["inputs"]["x"]["shape"] = {"N+"};
  EXPECT_ERR(j, "input 'x' dim 0: bad expression 'N+'");
  j = base();
  j["inputs"]["x y"] = j["inputs"]["x"];
  EXPECT_ERR(j, "tensor name 'x y' is not an identifier");
}

TEST(SpecParser, UnknownOp) {
  json j = base();
  j["ops"][0]["op"] = "frobnicate";
  EXPECT_ERR(j, "op 0 (frobnicate): unknown op 'frobnicate' (known: add,");
}

TEST(SpecParser, BadArity) {
  json j = base();
  j["ops"][0]["inputs"] = {"x", "x"};
  EXPECT_ERR(j, "op 0 (relu): expects 1 input, got 2");
  j["ops"][0]["op"] = "add";
  j["ops"][0]["inputs"] = {"x"};
  EXPECT_ERR(j, "op 0 (add): expects 2 inputs, got 1");
  j["ops"][0]["op"] = "clamp";
  j["ops"][0]["inputs"] = {"x", "x"};
  EXPECT_ERR(j, "op 0 (clamp): expects 1 input (bounds in attrs");
  j["ops"][0]["op"] = "where";
  EXPECT_ERR(j, "op 0 (where): expects 3 inputs, got 2");
}

TEST(SpecParser, BadDtype) {
  json j = base();
  j["inputs"]["m"] = json::parse(R"({"dtype": "bool", "shape": ["N"]})");
  j["ops"][0] =
      json::parse(R"({"op": "add", "inputs": ["x", "m"], "output": "y"})");
  EXPECT_ERR(j,
             "specs/x.json: op 0 (add): operand 2 is bool, expected float32");
  j["ops"][0] =
      json::parse(R"({"op": "relu", "inputs": ["m"], "output": "y"})");
  EXPECT_ERR(j, "op 0 (relu): operand 1 is bool, expected float32");
  j["ops"][0] = json::parse(
      R"({"op": "logical_and", "inputs": ["m", "x"], "output": "y"})");
  EXPECT_ERR(j, "op 0 (logical_and): operand 2 is float32, expected bool");
  j["ops"][0] =
      json::parse(R"({"op": "logical_not", "inputs": [1.0], "output": "y"})");
  EXPECT_ERR(j, "op 0 (logical_not): operand 1 is float32, expected bool");
  j["ops"][0] = json::parse(
      R"({"op": "where", "inputs": ["x", "x", "x"], "output": "y"})");
  EXPECT_ERR(j, "op 0 (where): operand 1 is float32, expected bool");
  j["ops"][0] = json::parse(
      R"({"op": "where", "inputs": ["m", "m", "x"], "output": "y"})");
  EXPECT_ERR(j, "op 0 (where): operand 2 is bool, expected float32");
  j["ops"][0] =
      json::parse(R"({"op": "eq", "inputs": ["m", "x"], "output": "y"})");
  EXPECT_ERR(j, "op 0 (eq): operand 1 is bool but operand 2 is float32");
  // A compare's bool result cannot feed arithmetic.
  j["ops"] = json::parse(R"([{"op": "gt", "inputs": ["x", 0], "output": "c"},
                             {"op": "neg", "inputs": ["c"], "output": "y"}])");
  EXPECT_ERR(j, "op 1 (neg): operand 1 is bool, expected float32");
}

TEST(SpecParser, ValidDtypes) {
  json j = base();
  j["inputs"]["m"] = json::parse(R"({"dtype": "bool", "shape": ["N"]})");
  j["ops"] = json::parse(R"([
    {"op": "gt", "inputs": ["x", 0], "output": "c"},
    {"op": "logical_and", "inputs": ["c", "m"], "output": "c2"},
    {"op": "eq", "inputs": ["c2", "m"], "output": "c3"},
    {"op": "logical_not", "inputs": ["c3"], "output": "c4"},
    {"op": "where", "inputs": ["c4", "x", -1.5], "output": "y"}])");
  EXPECT_NO_THROW(parseSpec(j, "a.json"));
}

TEST(SpecParser, Attrs) {
  json j = base();
  j["ops"][0]["attrs"] = {{"negative_slope", 0.1}};
  EXPECT_ERR(j, "op 0 (relu): takes no attrs, got 'negative_slope'");
  j["ops"][0]["op"] = "hardtanh";
  j["ops"][0]["attrs"] = {{"minval", -2}};
  EXPECT_ERR(
      j, "op 0 (hardtanh): unknown attr 'minval' (known: min_val, max_val)");
  j["ops"][0]["attrs"] = {{"min_val", "-2"}};
  EXPECT_ERR(j, "op 0 (hardtanh): attr 'min_val' must be a number");
  j["ops"][0]["attrs"] = {{"min_val", true}};
  EXPECT_ERR(j, "attr 'min_val' must be a number");
  j["ops"][0]["attrs"] = {{"max_val", 1e39}};
  EXPECT_ERR(j, "attr 'max_val' = 1e+39 is outside the float32 range");
  j["ops"][0]["attrs"] = json::array();
  EXPECT_ERR(j, "op 0 (hardtanh): 'attrs' must be an object");
  j["ops"][0]["op"] = "clamp";
  j["ops"][0]["attrs"] = json::object();
  EXPECT_ERR(j, "op 0 (clamp): needs attr 'min' or 'max'");
  j["inputs"]["lo"] = json::parse(R"({"dtype": "float32", "shape": []})");
  j["ops"][0]["inputs"] = {"x", "lo", "lo"};
  j["ops"][0]["attrs"] = {{"min", 0}};
  EXPECT_ERR(
      j, "op 0 (clamp): clamp with tensor bounds takes no attrs, got 'min'");
  j["ops"][0]["attrs"] = json::object();
  EXPECT_NO_THROW(parseSpec(j, "a.json"));
  j["ops"][0]["inputs"] = {"x"};
  j["ops"][0]["attrs"] = {{"max", 6}};
  EXPECT_NO_THROW(parseSpec(j, "a.json"));
  j["ops"][0]["op"] = "leaky_relu";
  j["ops"][0]["attrs"] = {{"negative_slope", 0.2}};
  EXPECT_NO_THROW(parseSpec(j, "a.json"));
}

TEST(SpecParser, OpStructureErrors) {
  json j = base();
  j["ops"][0]["inputz"] = {"x"};
  EXPECT_ERR(j, "op 0 (relu): unknown key 'inputz'");
  j = base();
  j["ops"][0].erase("op");
  EXPECT_ERR(j, "op 0: 'op' must be a string");
  j = base();
  j["ops"][0]["inputs"] = {true};
  EXPECT_ERR(j, "op 0 (relu): an input must be a tensor name or a number");
  j = base();
  j["ops"][0].erase("output");
  EXPECT_ERR(j, "op 0 (relu): 'output' must be a tensor name");
  j = base();
  j["ops"][0]["op"] = "add";
  j["ops"][0]["inputs"] = {"x", 1e39};
  EXPECT_ERR(j, "op 0 (add): literal operand 2 (1e+39) is "
                "outside the float32 range");
  j = base();
  j["ops"] = json::object();
  EXPECT_ERR(j, "'ops' must be a list");
}

TEST(SpecParser, UndefinedTensor) {
  json j = base();
  j["ops"].push_back(
      json::parse(R"({"op": "relu", "inputs": ["z"], "output": "w"})"));
  j["ops"].push_back(
      json::parse(R"({"op": "relu", "inputs": ["z"], "output": "v"})"));
  EXPECT_EQ(err(j), "specs/x.json: op 1 (relu): unknown input tensor 'z'");
}

TEST(SpecParser, DefinedTwice) {
  json j = base();
  j["ops"].push_back(
      json::parse(R"({"op": "neg", "inputs": ["x"], "output": "y"})"));
  EXPECT_EQ(err(j), "specs/x.json: op 1 (neg): tensor 'y' is defined twice "
                    "(also by op 0 (relu))");
  j = base();
  j["ops"][0]["output"] = "x";
  EXPECT_ERR(j, "op 0 (relu): output 'x' shadows input 'x'");
}

TEST(SpecParser, Cycle) {
  json j = base();
  j["ops"] = json::parse(R"([
    {"op": "add", "inputs": ["x", "b"], "output": "a"},
    {"op": "mul", "inputs": ["a", "x"], "output": "b"},
    {"op": "relu", "inputs": ["x"], "output": "y"}])");
  EXPECT_EQ(err(j), "specs/x.json: the ops form a cycle through tensor 'a': "
                    "op 0 (add) -> 'a' -> op 1 (mul) -> 'b' -> op 0 (add)");
  j["ops"] =
      json::parse(R"([{"op": "add", "inputs": ["x", "y"], "output": "y"}])");
  EXPECT_EQ(err(j), "specs/x.json: the ops form a cycle through tensor 'y': "
                    "op 0 (add) -> 'y' -> op 0 (add)");
}

TEST(SpecParser, Outputs) {
  json j = base();
  j["outputs"] = json::array();
  EXPECT_ERR(j, "'outputs' must be a non-empty list");
  j["outputs"] = {"q"};
  EXPECT_ERR(j, "outputs: unknown tensor 'q'");
  j["outputs"] = {"y", "y"};
  EXPECT_ERR(j, "outputs: 'y' is listed twice");
  j["outputs"] = {1};
  EXPECT_ERR(j, "outputs: expected a tensor name");
}

TEST(SpecParser, Domains) {
  json j = base();
  j["domain"] = {{"y", "all"}};
  EXPECT_ERR(j, "domain: 'y' is not an input");
  j["domain"] = {{"x", "positive"}};
  EXPECT_ERR(
      j,
      "domain of 'x': expected \"all\", \"finite\" or {\"range\": [lo, hi]}");
  j["domain"] = json::parse(R"({"x": {"range": [2, 1]}})");
  EXPECT_ERR(j, "domain of 'x': range [2, 1] is empty (lo > hi)");
  j["domain"] = json::parse(R"({"x": {"range": [1]}})");
  EXPECT_ERR(j, "domain of 'x': 'range' must be [lo, hi]");
  j["domain"] = json::parse(R"({"x": {"range": [0.1, 0.1]}})");
  EXPECT_ERR(j, "domain of 'x': range [0.1, 0.1] contains no float32 value");
  j["domain"] = json::parse(R"({"x": {"range": [1e39, 2e39]}})");
  EXPECT_ERR(j, "contains no float32 value");
  j["domain"] = json::parse(R"({"x": {"range": [0, "big"]}})");
  EXPECT_ERR(j, "a range bound must be a number, \"inf\" or \"-inf\"");
  j["domain"] = json::parse(R"({"x": {"range": [0, 1], "extra": 1}})");
  EXPECT_ERR(j, "domain of 'x': expected");
  j["domain"] = json::parse(R"({"x": {"range": [0.5, 0.5]}})");
  EXPECT_NO_THROW(parseSpec(j, "a.json"));
  j["domain"] = json::parse(R"({"x": {"range": [-1e39, 1e39]}})");
  EXPECT_NO_THROW(parseSpec(j, "a.json"));
  j["inputs"]["m"] = json::parse(R"({"dtype": "bool", "shape": []})");
  j["domain"] = {{"m", "finite"}};
  EXPECT_ERR(j, "domain of 'm': a bool input's domain can only be \"all\"");
}

TEST(SpecParser, Shapes) {
  json j = base();
  j["shapes"] = json::array();
  EXPECT_ERR(j, "'shapes' must be a non-empty list");
  j["shapes"] = {json::object()};
  EXPECT_ERR(j, "shapes[0]: symbol 'N' is not bound");
  j["shapes"] = {{{"N", 4}}, {{"M", 4}}};
  EXPECT_ERR(j, "shapes[1]: 'M' is not a symbol of any input shape");
  j["shapes"] = {{{"N", 4}, {"K", 2}}};
  EXPECT_ERR(j, "shapes[0]: 'K' is not a symbol of any input shape");
  j["shapes"] = {{{"N", 4.5}}};
  EXPECT_ERR(j, "shapes[0]: N must be an integer");
  j["shapes"] = {{{"N", 4}}, {{"N", 4}}};
  EXPECT_ERR(j, "shapes[1]: same binding as shapes[0]");
  j["shapes"] = {{{"N", 0}}};
  EXPECT_EQ(err(j), "specs/x.json: input 'x' dim 0 ('N') is 0 at N=0; dims "
                    "must be >= 1");
  j["inputs"]["x"]["shape"] = {"N-4"};
  j["shapes"] = {{{"N", 5}}, {{"N", 3}}};
  EXPECT_ERR(j, "input 'x' dim 0 ('N-4') is -1 at N=3");
  j["inputs"]["x"]["shape"] = {"8/N"};
  j["shapes"] = {{{"N", 0}}};
  EXPECT_ERR(j, "input 'x' dim 0: expression '8/N': division by zero at N=0");
  j = base();
  j["inputs"]["N"] = j["inputs"]["x"];
  EXPECT_ERR(j, "input 'N' has the name of a shape symbol");
}

TEST(SpecParser, HugeShape) {
  json j = base();
  j["shapes"] = {{{"N", 4}}, {{"N", int64_t{1} << 32}}};
  EXPECT_EQ(err(j), "specs/x.json: input 'x': shape too large: [4294967296] "
                    "has more than 2^31 elements at N=4294967296");
  j["shapes"] = {{{"N", int64_t{1} << 31}}}; // exactly 2^31 is allowed
  EXPECT_NO_THROW(parseSpec(j, "a.json"));
  j["inputs"]["x"]["shape"] = {"N", "N", "N", "N"}; // overflows int64 numel
  j["shapes"] = {{{"N", int64_t{1} << 20}}};
  EXPECT_ERR(j, "shape too large");
  // Broadcasting can grow the result past the cap.
  j = base();
  j["inputs"]["a"] = json::parse(R"({"dtype": "float32", "shape": ["N", 1]})");
  j["inputs"]["b"] = json::parse(R"({"dtype": "float32", "shape": [1, "N"]})");
  j["ops"].push_back(
      json::parse(R"({"op": "add", "inputs": ["a", "b"], "output": "z"})"));
  j["shapes"] = {{{"N", 65536}}};
  EXPECT_ERR(j, "op 1 (add): shape too large: result [65536, 65536] has more "
                "than 2^31 elements at N=65536");
}

TEST(SpecParser, ShapeMismatch) {
  json j = base();
  j["inputs"]["b"] = json::parse(R"({"dtype": "float32", "shape": [4]})");
  j["ops"].push_back(
      json::parse(R"({"op": "add", "inputs": ["x", "b"], "output": "z"})"));
  j["shapes"] = {{{"N", 4}}, {{"N", 1}}, {{"N", 5}}};
  EXPECT_EQ(err(j), "specs/x.json: op 1 (add): shapes [5] and [4] (operand 2, "
                    "'b') do not broadcast at N=5");
}

TEST(SpecParser, Tolerance) {
  json j = base();
  j["tolerance"] = {{"atol", 1e-5}, {"rtol", 0}};
  EXPECT_EQ(parseSpec(j, "a.json").tolerance.atol, 1e-5);
  j["tolerance"] = {{"rtol", 0.01}};
  EXPECT_EQ(parseSpec(j, "a.json").tolerance.rtol, 0.01);
  EXPECT_FALSE(parseSpec(j, "a.json").tolerance.bitExact());
  j["tolerance"] = {{"atol", -1}};
  EXPECT_ERR(j, "tolerance: 'atol' must be >= 0");
  j["tolerance"] = {{"atol", std::numeric_limits<double>::infinity()}};
  EXPECT_ERR(j, "tolerance: 'atol' and 'rtol' must be finite");
  j["tolerance"] = {{"ignore_zero_sign", 1}};
  EXPECT_ERR(j, "tolerance: 'ignore_zero_sign' must be true or false");
  j["tolerance"] = {{"ignore_sign", true}};
  EXPECT_ERR(j, "tolerance: unknown key 'ignore_sign'");
}

TEST(SpecParser, Files) {
  std::string p = writeTemp("good.json", base().dump());
  EXPECT_EQ(parseSpecFile(p).path, p);

  p = writeTemp("bad.json", "{\n  \"inputs\": {\n  \"x\": 1,\n}");
  try {
    parseSpecFile(p);
    ADD_FAILURE() << "no error";
  } catch (const UserError &e) {
    std::string m = e.what();
    EXPECT_EQ(
        m.rfind(p + ": malformed JSON: parse error at line 4, column 1", 0), 0u)
        << m;
    EXPECT_EQ(m.find('\n'), std::string::npos);
  }

  p = writeTemp("dup.json", R"({"inputs": {}, "inputs": {}})");
  try {
    parseSpecFile(p);
    ADD_FAILURE() << "no error";
  } catch (const UserError &e) {
    EXPECT_EQ(std::string(e.what()),
              p + ": malformed JSON: key 'inputs' appears twice in one object");
  }

  try {
    parseSpecFile(std::filesystem::temp_directory_path().string());
    ADD_FAILURE() << "no error";
  } catch (const UserError &e) {
    EXPECT_NE(std::string(e.what()).find(": is a directory"),
              std::string::npos);
  }

  try {
    parseSpecFile("/nonexistent/spec.json");
    ADD_FAILURE() << "no error";
  } catch (const UserError &e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/spec.json: cannot read file");
    EXPECT_EQ(e.code(), ExitCode::InputError);
  }
  std::filesystem::remove_all(std::filesystem::path(p).parent_path());
}
