// The reference specification: a DAG of PyTorch-like tensor ops over named
// tensors, the input domain, and the shapes to verify at.
// File format: docs/spec-format.md. Op semantics: docs/semantics.md.
#pragma once

#include "spec/IntExpr.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ksynth::spec {

enum class DType { Float32, Bool, Int64 };
std::string toString(DType t);
// "float32", "bool" or "int64"; nullopt otherwise.
std::optional<DType> parseDType(const std::string &s);

// Values an input may take (never inferred from sample data).
struct Domain {
  enum class Kind { All, Finite, Range } kind = Kind::All;
  // Range: lo <= x <= hi, so NaN excluded; infinities only if a bound is.
  // For an int64 input the bounds are integers of magnitude <= 2^53.
  double lo = 0, hi = 0;
  std::string describe() const; // "all float32 (incl. NaN, +-inf, -0)"
  nlohmann::json toJson() const;
};

struct TensorDecl {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<IntExpr> shape; // empty: a 0-d tensor (scalar)
};

// An op operand: a tensor name or a numeric literal (PyTorch scalar, rounded
// to float32 before use).
using Operand = std::variant<std::string, double>;

struct OpNode {
  std::string op; // "add", "hardtanh", ...
  std::vector<Operand> inputs;
  std::string output; // name of the tensor it defines
  nlohmann::json attrs = nlohmann::json::object();
  int line = 0; // index in "ops", for messages
};

// Comparison of candidate and reference outputs (docs/spec-format.md).
// Bit-exact by default (every NaN equals every NaN; +0 differs from -0
// unless ignoreZeroSign). With a non-zero atol or rtol, a float32 element
// passes when |cand - ref| <= atol + rtol * |ref|; NaN matches only NaN and
// an infinity only the same infinity. The summation form (sumRtol > 0,
// only for outputs of sum, mean and matmul over spec inputs): |cand - ref|
// <= atol + sumRtol * mag, `mag` the sum of the magnitudes of the terms
// the op sums (interpretMagnitudes in spec/Interpreter.h). bool and int64
// elements always compare exactly.
struct Tolerance {
  double atol = 0, rtol = 0;
  double sumRtol = 0; // the summation form when > 0 (then rtol is 0)
  bool ignoreZeroSign = false;
  bool bitExact() const { return atol == 0 && rtol == 0 && sumRtol == 0; }
  bool sumForm() const { return sumRtol > 0; }
  // Does candidate element `cand` match reference element `ref` (float32
  // values)? The inequality is evaluated in double precision. `mag` is the
  // element's sum of term magnitudes (only read by the summation form; a
  // NaN `mag` there means unknown, and then only cand == ref matches).
  // The one comparison every concrete check uses (interpreter, runtime,
  // replay, self-check, the verifier's confirmations).
  bool accepts(float ref, float cand, double mag = 0) const;
  std::string describe() const;
  nlohmann::json toJson() const;
};

using ShapeBinding = std::map<std::string, int64_t>; // symbol -> value
// "N=67, M=3" ("" for an empty binding), for messages.
std::string formatBinding(const ShapeBinding &b);

struct Spec {
  std::string path; // file it came from (for messages)
  std::string name;
  std::vector<TensorDecl> inputs;
  std::vector<OpNode> ops; // in file order; see SpecGraph for topo order
  std::vector<std::string> outputs;
  std::map<std::string, Domain> domains; // per input; absent = All
  std::vector<ShapeBinding> shapes;      // at least one
  Tolerance tolerance;

  const TensorDecl *findInput(const std::string &n) const;
  Domain domainOf(const std::string &input) const;
};

// Parses and fully validates (ops known, arities and attrs, DAG, defined
// tensors, shapes/broadcasting at every listed binding). Throws UserError
// (ExitCode::InputError) with "FILE: message".
Spec parseSpecFile(const std::string &path);
Spec parseSpec(const nlohmann::json &j, const std::string &pathForMessages);
// Reads a JSON file. Throws UserError "FILE: ..." if it cannot be read, is
// malformed (with line and column) or an object repeats a key.
nlohmann::json readJsonFile(const std::string &path);

// Concrete type of a tensor at one shape binding.
struct TensorType {
  DType dtype = DType::Float32;
  std::vector<int64_t> dims;
  int64_t numel() const;
};

// Every tensor's type (inputs, intermediates, outputs) at a binding.
// Throws UserError on a shape mismatch.
std::map<std::string, TensorType> inferTypes(const Spec &s,
                                             const ShapeBinding &b);

// Whether the summation form may be used for output `out`: its op is sum,
// mean or matmul and every operand is a float32 spec input. Otherwise the
// reason, for the parser's one-line error ("" when it may).
std::string sumFormRefusal(const Spec &s, const std::string &out);

// Ops in a dependency order (from the Boost.Graph DAG).
std::vector<const OpNode *> topoOrder(const Spec &s);

} // namespace ksynth::spec
