// ksynth eval SPEC --inputs FILE [--shape K=V]: the reference interpreter.
// FILE is {"x": {"bits": [...]} or ["1.5", "nan", ...], ...} (int64: decimal
// integers), that object under "inputs", or a verdict
// JSON (its counterexample's inputs and shape are used; for a sparse
// counterexample, only its output element is printed).
#include "Commands.h"
#include "Import.h"

#include "spec/Interpreter.h"
#include "spec/Spec.h"
#include "support/Error.h"
#include "support/Float.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace ksynth::cli {

int cmdEval(const std::vector<std::string> &args) {
  std::string specPath, inputsPath;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--inputs" && i + 1 < args.size())
      inputsPath = args[++i];
    else if (args[i] == "--help") {
      std::cout << "usage: ksynth eval SPEC --inputs FILE\n";
      return 0;
    } else if (specPath.empty() && args[i][0] != '-')
      specPath = args[i];
    else
      throw UserError(ExitCode::Usage, "eval: unexpected argument " + args[i]);
  }
  if (specPath.empty() || inputsPath.empty())
    throw UserError(ExitCode::Usage, "eval needs SPEC and --inputs FILE");
  spec::Spec s = loadSpecArg(specPath);
  std::ifstream f(inputsPath);
  if (!f)
    throw UserError(inputsPath + ": cannot open");
  nlohmann::json j = nlohmann::json::parse(f, nullptr, false);
  if (j.is_discarded())
    throw UserError(inputsPath + ": malformed JSON");
  spec::ShapeBinding shape = s.shapes.front();
  // A sparse counterexample (too large to list): only its output element.
  std::string onlyOutput;
  int64_t onlyFlat = -1;
  if (j.contains("counterexample")) {
    const nlohmann::json &cx = j["counterexample"];
    shape = cx["shape"].get<spec::ShapeBinding>();
    for (auto &[n, in] : cx["inputs"].items())
      if (in.is_object() && in.contains("elements") && cx.contains("output") &&
          cx.contains("flat_index")) {
        onlyOutput = cx["output"].get<std::string>();
        onlyFlat = cx["flat_index"].get<int64_t>();
      }
    j = cx["inputs"];
  } else if (j.contains("inputs") && j["inputs"].is_object()) {
    j = j["inputs"]; // {"inputs": {...}} (ksynth import --check-data)
  }
  auto types = spec::inferTypes(s, shape);
  std::map<std::string, spec::Tensor<spec::Scalar>> in;
  for (const spec::TensorDecl &t : s.inputs) {
    if (!j.contains(t.name))
      throw UserError(inputsPath + ": no values for input '" + t.name + "'");
    nlohmann::json v = j[t.name].is_object() ? j[t.name]["bits"] : j[t.name];
    // Sparse form (docs/verdict-format.md): a default and listed elements.
    if (j[t.name].is_object() && j[t.name].contains("default") &&
        j[t.name].contains("elements")) {
      int64_t n = types.at(t.name).numel();
      v = nlohmann::json::array();
      for (int64_t i = 0; i < n; ++i)
        v.push_back(j[t.name]["default"]);
      for (const auto &e : j[t.name]["elements"]) {
        int64_t k = e.value("index", int64_t(-1));
        if (k < 0 || k >= n)
          throw UserError(inputsPath + ": input '" + t.name +
                          "': element index out of range");
        v[static_cast<size_t>(k)] = e["bits"];
      }
    }
    spec::Tensor<spec::Scalar> tt;
    tt.type = types.at(t.name);
    if (!v.is_array() || static_cast<int64_t>(v.size()) != tt.type.numel())
      throw UserError(inputsPath + ": input '" + t.name + "' needs " +
                      std::to_string(tt.type.numel()) + " values");
    for (const auto &e : v) {
      spec::Scalar sc;
      sc.type = t.dtype;
      std::string text = e.is_string() ? e.get<std::string>() : e.dump();
      if (t.dtype == spec::DType::Int64) { // a decimal integer
        char *end = nullptr;
        errno = 0;
        long long iv = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end || errno)
          throw UserError(inputsPath + ": bad int64 value '" + text + "'");
        sc.i = iv;
        tt.data.push_back(sc);
        continue;
      }
      auto fv = parseFloat(text);
      if (!fv)
        throw UserError(inputsPath + ": bad value '" + text + "'");
      sc.f = *fv;
      sc.b = t.dtype == spec::DType::Bool ? (floatBits(*fv) != 0) : false;
      if (t.dtype == spec::DType::Bool && text.rfind("0x", 0) == 0)
        sc.b = text != "0x00" && text != "0x0" && text != "0x00000000";
      tt.data.push_back(sc);
    }
    in[t.name] = std::move(tt);
  }
  auto out = spec::interpret(s, shape, in);
  // One element as a verdict writes it (verify/core/Verdict.cpp): bool as
  // true/false and one byte, int64 (argmax, argmin) as a decimal value and
  // 16 hex digits, float32 as its value and bit pattern.
  auto valueOf = [](const spec::Scalar &sc) -> std::string {
    if (sc.type == spec::DType::Bool)
      return sc.b ? "true" : "false";
    if (sc.type == spec::DType::Int64)
      return std::to_string(sc.i);
    return formatFloat(sc.f);
  };
  auto bitsOf = [](const spec::Scalar &sc) -> std::string {
    if (sc.type == spec::DType::Bool)
      return sc.b ? "0x01" : "0x00";
    if (sc.type == spec::DType::Int64) {
      char buf[24];
      std::snprintf(buf, sizeof buf, "0x%016llx",
                    static_cast<unsigned long long>(sc.i));
      return buf;
    }
    return formatBits(floatBits(sc.f));
  };
  nlohmann::json r;
  if (!onlyOutput.empty() && out.count(onlyOutput) && onlyFlat >= 0 &&
      onlyFlat < static_cast<int64_t>(out.at(onlyOutput).data.size())) {
    const spec::Scalar &sc =
        out.at(onlyOutput).data[static_cast<size_t>(onlyFlat)];
    r[onlyOutput] = {
        {"flat_index", onlyFlat}, {"value", valueOf(sc)}, {"bits", bitsOf(sc)}};
    std::cout << r.dump(2) << "\n";
    return 0;
  }
  for (auto &[name, t] : out) {
    nlohmann::json vals = nlohmann::json::array(),
                   bits = nlohmann::json::array();
    for (const spec::Scalar &sc : t.data) {
      vals.push_back(valueOf(sc));
      bits.push_back(bitsOf(sc));
    }
    r[name] = {{"values", vals}, {"bits", bits}};
  }
  std::cout << r.dump(2) << "\n";
  return 0;
}

} // namespace ksynth::cli
