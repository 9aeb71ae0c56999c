// The ksynth interpreter against PyTorch's recorded CPU results
// (tests/unit/spec/data/pytorch_probe.json, written by
// spec/pytorch/probe_semantics.py). All NaNs are equal; any other
// difference must be one of the known disagreements below, each documented
// in docs/semantics.md ("Where PyTorch disagrees"). The list is exact: a
// new disagreement fails, and so does a listed one that no longer occurs
// or a rule that claims a case that agrees.
#include "spec/Interpreter.h"

#include "support/Float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>

using namespace ksynth;
using namespace ksynth::spec;
using json = nlohmann::json;

namespace {

const char *kProbe =
    KSYNTH_SOURCE_DIR "/tests/unit/spec/data/pytorch_probe.json";

constexpr uint32_t kPosZero = 0x00000000, kNegZero = 0x80000000;

bool isNaNBits(uint32_t b) { return (b & 0x7fffffff) > 0x7f800000; }

// x86 SSE/AVX minps/maxps: the second operand unless the first is strictly
// smaller/larger (so the second on equal zeros and on NaN).
float x86Min(float a, float b) { return a < b ? a : b; }
float x86Max(float a, float b) { return a > b ? a : b; }

// One case of one record: the operands (tensor elements and literals, in
// operand order, as float32 bits or 0/1) and both results.
struct Case {
  const json *rec;
  std::string backend, op;
  std::vector<uint32_t> operands;
  uint32_t ksynth = 0;
};

struct KnownDisagreement {
  const char *what; // as documented in docs/semantics.md
  std::function<bool(const Case &)> applies;
  int seen = 0;
};

std::vector<KnownDisagreement> knownDisagreements() {
  auto is = [](const Case &c, const char *backend, const char *op) {
    return c.backend == backend && c.op == op;
  };
  auto operands = [](const Case &c, uint32_t a, uint32_t b) {
    return c.operands.size() == 2 && c.operands[0] == a && c.operands[1] == b;
  };
  auto clamp3 = [](const Case &c) {
    return c.op == "clamp" && c.operands.size() == 3;
  };
  return {
      {"minimum, ATen scalar CPU loop: std::min(+0, -0) returns its first "
       "operand, +0; ksynth (IEEE 754-2019 minimum) gives -0",
       [=](const Case &c) {
         return is(c, "cpu_scalar", "minimum") &&
                operands(c, kPosZero, kNegZero);
       }},
      {"minimum, ATen vectorised CPU loop: minps(-0, +0) returns its second "
       "operand, +0; ksynth gives -0",
       [=](const Case &c) {
         return is(c, "cpu_vec", "minimum") && operands(c, kNegZero, kPosZero);
       }},
      {"maximum, ATen scalar CPU loop: std::max(-0, +0) returns its first "
       "operand, -0; ksynth (IEEE 754-2019 maximum) gives +0",
       [=](const Case &c) {
         return is(c, "cpu_scalar", "maximum") &&
                operands(c, kNegZero, kPosZero);
       }},
      {"maximum, ATen vectorised CPU loop: maxps(+0, -0) returns its second "
       "operand, -0; ksynth gives +0",
       [=](const Case &c) {
         return is(c, "cpu_vec", "maximum") && operands(c, kPosZero, kNegZero);
       }},
      {"clamp with tensor bounds, ATen vectorised CPU loop: "
       "minimum(maximum(x, lo), hi) with minps/maxps takes the bound on "
       "equal zeros; ksynth keeps x (so clamp(-0, +0, 1) is +0 there, -0 in "
       "ksynth)",
       [=](const Case &c) {
         if (!clamp3(c) || c.backend != "cpu_vec")
           return false;
         for (uint32_t b : c.operands)
           if (isNaNBits(b))
             return false;
         float x = bitsFloat(c.operands[0]), lo = bitsFloat(c.operands[1]),
               hi = bitsFloat(c.operands[2]);
         return floatBits(x86Min(x86Max(x, lo), hi)) != c.ksynth;
       }},
      {"sqrt, ATen CPU loops (torch 2.15.0, AVX512), scalar and vectorised: "
       "not correctly rounded, one ulp from IEEE sqrt for about 16% of "
       "inputs (measured on random floats); ksynth's sqrt is IEEE. In the "
       "probe set: sqrt(0x3f7fffff) is 1.0 in PyTorch, 0x3f7fffff in IEEE, "
       "and sqrt(0x403fffff) is 0x3fddb3d6, IEEE 0x3fddb3d7",
       [=](const Case &c) {
         return c.op == "sqrt" && c.operands.size() == 1 &&
                (c.operands[0] == 0x3f7fffffu || c.operands[0] == 0x403fffffu);
       }},
  };
}

std::string describe(const Case &c, uint32_t torchOut) {
  std::string s = c.backend + " " + c.op + c.rec->at("attrs").dump() + "(";
  for (size_t k = 0; k < c.operands.size(); ++k)
    s += (k ? ", " : "") + formatBits(c.operands[k]);
  return s + "): torch " + formatBits(torchOut) + ", ksynth " +
         formatBits(c.ksynth);
}

// Runs one record through parseSpec + interpret and returns its cases.
std::vector<Case> evaluateRecord(const json &rec) {
  size_t nTensors = rec.at("inputs").size();
  size_t n = rec.at("inputs").at(0).size();
  const json &lits = rec.at("literals");
  size_t arity = nTensors + lits.size();

  json spec = json::object();
  spec["inputs"] = json::object();
  spec["outputs"] = json::array({"y"});
  spec["shapes"] = json::array({json::object()});
  json op = json::object();
  op["op"] = rec.at("op");
  op["inputs"] = json::array();
  op["output"] = "y";
  op["attrs"] = rec.at("attrs");
  std::map<std::string, Tensor<Scalar>> inputs;
  size_t t = 0;
  for (size_t k = 0; k < arity; ++k) {
    std::string key = std::to_string(k);
    if (lits.contains(key)) {
      op["inputs"].push_back(lits.at(key));
      continue;
    }
    std::string name = "t" + std::to_string(t);
    std::string dtype = rec.at("in_dtypes").at(t);
    spec["inputs"][name]["dtype"] = dtype;
    spec["inputs"][name]["shape"] = json::array({n});
    Tensor<Scalar> x;
    x.type.dtype = dtype == "bool" ? DType::Bool : DType::Float32;
    x.type.dims = {static_cast<int64_t>(n)};
    for (const json &v : rec.at("inputs").at(t))
      x.data.push_back(dtype == "bool"
                           ? ConcreteDomain::boolean(v.get<uint32_t>() != 0)
                           : ConcreteDomain::f32(bitsFloat(v.get<uint32_t>())));
    inputs[name] = std::move(x);
    op["inputs"].push_back(name);
    ++t;
  }
  spec["ops"] = json::array({op});
  if (rec.at("op") == "sqrt") // needs a tolerance (the interpreter ignores it)
    spec["tolerance"] = json{{"rtol", 1e-6}};
  Spec s = parseSpec(spec, "probe");
  Tensor<Scalar> y = interpret(s, {}, inputs).at("y");

  std::vector<Case> cases(n);
  for (size_t i = 0; i < n; ++i) {
    Case &c = cases[i];
    c.rec = &rec;
    c.backend = rec.at("backend");
    c.op = rec.at("op");
    size_t tk = 0;
    for (size_t k = 0; k < arity; ++k) {
      std::string key = std::to_string(k);
      if (lits.contains(key))
        c.operands.push_back(
            floatBits(static_cast<float>(lits.at(key).get<double>())));
      else
        c.operands.push_back(rec.at("inputs").at(tk++).at(i).get<uint32_t>());
    }
    c.ksynth = y.type.dtype == DType::Bool ? uint32_t{y.data[i].b}
                                           : floatBits(y.data[i].f);
  }
  return cases;
}

} // namespace

TEST(PyTorchProbe, InterpreterMatchesPyTorchCpu) {
  std::ifstream in(kProbe);
  ASSERT_TRUE(in) << "missing " << kProbe;
  json probe = json::parse(in);
  std::vector<KnownDisagreement> known = knownDisagreements();
  size_t compared = 0;
  std::map<std::string, int> records; // backend -> count
  std::vector<std::string> failures;
  for (const json &rec : probe.at("records")) {
    std::string backend = rec.at("backend");
    if (backend.rfind("cpu", 0) != 0)
      continue; // CUDA results are documented, not required to match
    ++records[backend];
    ASSERT_FALSE(rec.contains("error"))
        << "probe failed for " << rec.at("op") << ": " << rec.at("error");
    std::vector<Case> cases = evaluateRecord(rec);
    const json &outs = rec.at("outputs");
    ASSERT_EQ(outs.size(), cases.size());
    bool isBool = rec.at("out_dtype") == "bool";
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case &c = cases[i];
      uint32_t torchOut = outs.at(i).get<uint32_t>();
      bool same = isBool ? torchOut == c.ksynth
                         : (isNaNBits(torchOut) && isNaNBits(c.ksynth)) ||
                               torchOut == c.ksynth;
      std::vector<KnownDisagreement *> rules;
      for (KnownDisagreement &k : known)
        if (k.applies(c))
          rules.push_back(&k);
      ++compared;
      if (same && !rules.empty())
        failures.push_back(
            "listed as a disagreement but agrees: " + describe(c, torchOut) +
            "\n  rule: " + rules[0]->what);
      else if (!same && rules.empty())
        failures.push_back("new disagreement with PyTorch: " +
                           describe(c, torchOut));
      else if (!same && rules.size() > 1)
        failures.push_back("two rules claim " + describe(c, torchOut));
      else if (!same)
        ++rules[0]->seen;
    }
  }
  for (size_t i = 0; i < failures.size() && i < 40; ++i)
    ADD_FAILURE() << failures[i];
  EXPECT_EQ(failures.size(), 0u) << "cases that differ from the list";
  EXPECT_GT(records["cpu_vec"], 0);
  EXPECT_GT(records["cpu_scalar"], 0);
  EXPECT_GT(compared, 10000u);
  for (const KnownDisagreement &k : known)
    EXPECT_GT(k.seen, 0) << "listed disagreement never seen: " << k.what;
}
