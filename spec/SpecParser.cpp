// JSON -> Spec, with full validation (docs/spec-format.md). Every problem
// is one UserError line "FILE: message".
#include "spec/JsonCheck.h"
#include "spec/OpTable.h"
#include "spec/Semantics.h"
#include "spec/Spec.h"

#include "support/Error.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <set>

namespace ksynth::spec {

namespace {

using json = nlohmann::json;

bool isIdentifier(const std::string &s) {
  if (s.empty() ||
      !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
    return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

std::string opLabel(const OpNode &op) {
  return "op " + std::to_string(op.line) + " (" + op.op + ")";
}

class SpecParser {
public:
  SpecParser(const json &j, const std::string &path) : j_(j) { s_.path = path; }

  Spec run() {
    if (!j_.is_object())
      fail("a spec must be a JSON object, got " + std::string(j_.type_name()));
    checkKeys(
        j_, "",
        {"name", "inputs", "ops", "outputs", "domain", "shapes", "tolerance"});
    if (j_.contains("name")) {
      if (!j_["name"].is_string())
        fail("'name' must be a string");
      s_.name = j_["name"].get<std::string>();
    }
    parseInputs(required("inputs"));
    parseOps(required("ops"));
    checkDefinitions();
    parseOutputs(required("outputs"));
    topoOrder(s_); // throws on a cycle
    if (j_.contains("domain"))
      parseDomains(j_["domain"]);
    parseShapes(required("shapes"));
    if (j_.contains("tolerance"))
      parseTolerance(j_["tolerance"]);
    checkToleranceNeeded();
    checkSumForm();
    for (const ShapeBinding &b : s_.shapes)
      inferTypes(s_, b); // dtypes, broadcasting and sizes at every binding
    return std::move(s_);
  }

private:
  [[noreturn]] void fail(const std::string &msg) const {
    throw UserError(s_.path + ": " + msg);
  }

  const json &required(const char *key) const {
    if (!j_.contains(key))
      fail(std::string("missing required key '") + key + "'");
    return j_[key];
  }

  // `where` is "" for the top level, else e.g. "input 'x'".
  void checkKeys(const json &obj, const std::string &where,
                 std::initializer_list<const char *> allowed) const {
    if (auto msg = unknownKey(obj, where, allowed))
      fail(*msg);
  }

  void checkName(const std::string &name, const std::string &where) const {
    if (!isIdentifier(name))
      fail(where + ": tensor name '" + name +
           "' is not an identifier ([A-Za-z_][A-Za-z0-9_]*)");
  }

  IntExpr parseDim(const json &d, const std::string &where) const {
    if (d.is_number_integer()) {
      int64_t v = d.is_number_unsigned() && d.get<uint64_t>() > INT64_MAX
                      ? INT64_MAX
                      : d.get<int64_t>();
      if (v < 1)
        fail(where + " is " + std::to_string(v) + "; dims must be >= 1");
      return IntExpr::constant(v);
    }
    if (d.is_string()) {
      try {
        return IntExpr::parse(d.get<std::string>());
      } catch (const UserError &e) {
        fail(where + ": " + e.what());
      }
    }
    fail(where + " must be an integer or an expression string, got " +
         d.dump());
  }

  void parseInputs(const json &in) {
    if (!in.is_object())
      fail("'inputs' must be an object of name -> {dtype, shape}");
    for (const auto &[name, decl] : in.items()) {
      std::string where = "input '" + name + "'";
      checkName(name, "inputs");
      if (!decl.is_object())
        fail(where + " must be an object with 'dtype' and 'shape'");
      checkKeys(decl, where, {"dtype", "shape"});
      TensorDecl t;
      t.name = name;
      if (!decl.contains("dtype") || !decl["dtype"].is_string())
        fail(where + ": 'dtype' must be \"float32\", \"bool\" or \"int64\"");
      auto dt = parseDType(decl["dtype"].get<std::string>());
      if (!dt)
        fail(where + ": unknown dtype '" + decl["dtype"].get<std::string>() +
             "' (expected float32, bool or int64)");
      t.dtype = *dt;
      if (!decl.contains("shape") || !decl["shape"].is_array())
        fail(where + ": 'shape' must be a list of dims ([] for a scalar)");
      const json &shape = decl["shape"];
      for (size_t k = 0; k < shape.size(); ++k)
        t.shape.push_back(
            parseDim(shape[k], where + " dim " + std::to_string(k)));
      s_.inputs.push_back(std::move(t));
    }
  }

  void parseOps(const json &ops) {
    if (!ops.is_array())
      fail("'ops' must be a list");
    for (size_t i = 0; i < ops.size(); ++i) {
      const json &o = ops[i];
      std::string where = "op " + std::to_string(i);
      if (!o.is_object())
        fail(where + " must be an object with 'op', 'inputs' and 'output'");
      OpNode op;
      op.line = static_cast<int>(i);
      if (!o.contains("op") || !o["op"].is_string())
        fail(where + ": 'op' must be a string naming the op");
      op.op = o["op"].get<std::string>();
      where = opLabel(op);
      checkKeys(o, where, {"op", "inputs", "output", "attrs"});
      if (!o.contains("inputs") || !o["inputs"].is_array())
        fail(where + ": 'inputs' must be a list of tensor names or numbers");
      for (const json &x : o["inputs"]) {
        if (x.is_string())
          op.inputs.emplace_back(x.get<std::string>());
        else if (x.is_number())
          op.inputs.emplace_back(x.get<double>());
        else
          fail(where + ": an input must be a tensor name or a number, got " +
               x.dump());
      }
      if (!o.contains("output") || !o["output"].is_string())
        fail(where + ": 'output' must be a tensor name");
      op.output = o["output"].get<std::string>();
      checkName(op.output, where);
      if (o.contains("attrs")) {
        if (!o["attrs"].is_object())
          fail(where + ": 'attrs' must be an object");
        op.attrs = o["attrs"];
      }
      try {
        checkOpSignature(op);
      } catch (const UserError &e) {
        fail(where + ": " + e.what());
      }
      s_.ops.push_back(std::move(op));
    }
  }

  // Each tensor defined once, no op output shadowing an input, every
  // operand defined somewhere (ops may be listed in any order).
  void checkDefinitions() {
    for (const OpNode &op : s_.ops) {
      if (s_.findInput(op.output))
        fail(opLabel(op) + ": output '" + op.output + "' shadows input '" +
             op.output + "'");
      auto [it, fresh] = definedBy_.emplace(op.output, &op);
      if (!fresh)
        fail(opLabel(op) + ": tensor '" + op.output +
             "' is defined twice (also by " + opLabel(*it->second) + ")");
    }
    for (const OpNode &op : s_.ops)
      for (const Operand &x : op.inputs)
        if (const auto *name = std::get_if<std::string>(&x))
          if (!isDefined(*name))
            fail(opLabel(op) + ": unknown input tensor '" + *name + "'");
  }

  bool isDefined(const std::string &name) const {
    return s_.findInput(name) || definedBy_.count(name);
  }

  void parseOutputs(const json &outs) {
    if (!outs.is_array() || outs.empty())
      fail("'outputs' must be a non-empty list of tensor names");
    for (const json &o : outs) {
      if (!o.is_string())
        fail("outputs: expected a tensor name, got " + o.dump());
      std::string name = o.get<std::string>();
      if (!isDefined(name))
        fail("outputs: unknown tensor '" + name + "'");
      for (const std::string &prev : s_.outputs)
        if (prev == name)
          fail("outputs: '" + name + "' is listed twice");
      s_.outputs.push_back(name);
    }
  }

  double parseBound(const json &v, const std::string &where) const {
    if (v.is_number())
      return v.get<double>();
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      if (s == "inf" || s == "+inf")
        return INFINITY;
      if (s == "-inf")
        return -INFINITY;
    }
    fail(where + ": a range bound must be a number, \"inf\" or \"-inf\", got " +
         v.dump());
  }

  void parseDomains(const json &dom) {
    if (!dom.is_object())
      fail("'domain' must be an object of input name -> domain");
    for (const auto &[name, v] : dom.items()) {
      std::string where = "domain of '" + name + "'";
      const TensorDecl *in = s_.findInput(name);
      if (!in)
        fail("domain: '" + name + "' is not an input");
      Domain d;
      if (v.is_string() && v.get<std::string>() == "all") {
        d.kind = Domain::Kind::All;
      } else if (v.is_string() && v.get<std::string>() == "finite") {
        d.kind = Domain::Kind::Finite;
      } else if (v.is_object() && v.size() == 1 && v.contains("range")) {
        const json &r = v["range"];
        if (!r.is_array() || r.size() != 2)
          fail(where + ": 'range' must be [lo, hi]");
        d.kind = Domain::Kind::Range;
        d.lo = parseBound(r[0], where);
        d.hi = parseBound(r[1], where);
        if (!(d.lo <= d.hi))
          fail(where + ": range [" + r[0].dump() + ", " + r[1].dump() +
               "] is empty (lo > hi)");
        if (in->dtype == DType::Float32 && !rangeHasFloat(d.lo, d.hi))
          fail(where + ": range [" + r[0].dump() + ", " + r[1].dump() +
               "] contains no float32 value");
      } else {
        fail(where +
             ": expected \"all\", \"finite\" or {\"range\": [lo, hi]}, "
             "got " +
             v.dump());
      }
      if (in->dtype == DType::Bool && d.kind != Domain::Kind::All)
        fail(where + ": a bool input's domain can only be \"all\"");
      if (in->dtype == DType::Int64 && d.kind == Domain::Kind::Finite)
        fail(where + ": an int64 input's domain is \"all\" or "
                     "{\"range\": [lo, hi]} with integer bounds");
      if (in->dtype == DType::Int64 && d.kind == Domain::Kind::Range &&
          !(isSafeInt(d.lo) && isSafeInt(d.hi)))
        fail(where +
             ": an int64 range needs integer bounds of magnitude at "
             "most 2^53, got " +
             v["range"].dump());
      s_.domains[name] = d;
    }
  }

  static bool isSafeInt(double v) {
    return std::fabs(v) <= 0x1p53 && std::floor(v) == v;
  }

  // Is there a float32 f with lo <= f <= hi? (An empty domain would make
  // every candidate vacuously correct.)
  static bool rangeHasFloat(double lo, double hi) {
    if (std::isinf(lo) || std::isinf(hi))
      return lo <= hi;
    float f;
    if (lo > 0x1.fffffep+127)
      return false; // above FLT_MAX and hi finite
    if (lo < -0x1.fffffep+127)
      f = -0x1.fffffep+127f;
    else {
      f = static_cast<float>(lo);
      if (static_cast<double>(f) < lo)
        f = std::nextafter(f, INFINITY);
    }
    return static_cast<double>(f) <= hi;
  }

  void parseShapes(const json &shapes) {
    std::set<std::string> symbols;
    for (const TensorDecl &t : s_.inputs)
      for (const IntExpr &e : t.shape)
        for (const std::string &sym : e.symbols())
          symbols.insert(sym);
    for (const TensorDecl &t : s_.inputs)
      if (symbols.count(t.name))
        fail("input '" + t.name + "' has the name of a shape symbol");
    for (const OpNode &op : s_.ops)
      if (symbols.count(op.output))
        fail(opLabel(op) + ": output '" + op.output +
             "' has the name of a shape symbol");
    if (!shapes.is_array() || shapes.empty())
      fail("'shapes' must be a non-empty list of {symbol: value} bindings");
    for (size_t i = 0; i < shapes.size(); ++i) {
      std::string where = "shapes[" + std::to_string(i) + "]";
      const json &b = shapes[i];
      if (!b.is_object())
        fail(where + " must be an object of symbol -> integer");
      ShapeBinding sb;
      for (const auto &[sym, v] : b.items()) {
        if (!symbols.count(sym))
          fail(where + ": '" + sym + "' is not a symbol of any input shape");
        if (!v.is_number_integer() ||
            (v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX))
          fail(where + ": " + sym + " must be an integer, got " + v.dump());
        sb[sym] = v.get<int64_t>();
      }
      for (const std::string &sym : symbols)
        if (!sb.count(sym))
          fail(where + ": symbol '" + sym + "' is not bound");
      for (size_t k = 0; k < s_.shapes.size(); ++k)
        if (s_.shapes[k] == sb)
          fail(where + ": same binding as shapes[" + std::to_string(k) + "]");
      s_.shapes.push_back(std::move(sb));
    }
  }

  void parseTolerance(const json &t) {
    if (!t.is_object())
      fail("'tolerance' must be an object");
    checkKeys(t, "tolerance", {"atol", "rtol", "sum_rtol", "ignore_zero_sign"});
    for (const char *k : {"atol", "rtol", "sum_rtol"}) {
      if (!t.contains(k))
        continue;
      if (!t[k].is_number())
        fail(std::string("tolerance: '") + k + "' must be a number");
      double v = t[k].get<double>();
      if (!(v >= 0))
        fail(std::string("tolerance: '") + k + "' must be >= 0");
      (k[0] == 'a'   ? s_.tolerance.atol
       : k[0] == 'r' ? s_.tolerance.rtol
                     : s_.tolerance.sumRtol) = v;
    }
    if (t.contains("ignore_zero_sign")) {
      if (!t["ignore_zero_sign"].is_boolean())
        fail("tolerance: 'ignore_zero_sign' must be true or false");
      s_.tolerance.ignoreZeroSign = t["ignore_zero_sign"].get<bool>();
    }
    if (!std::isfinite(s_.tolerance.atol) || !std::isfinite(s_.tolerance.rtol))
      fail("tolerance: 'atol' and 'rtol' must be finite");
    if (!std::isfinite(s_.tolerance.sumRtol))
      fail("tolerance: 'sum_rtol' must be finite");
    if (s_.tolerance.sumForm() && s_.tolerance.rtol != 0)
      fail("tolerance: 'sum_rtol' and 'rtol' exclude each other (the "
           "summation form bounds the error by sum_rtol times the sum of "
           "the terms' magnitudes)");
  }

  // The summation form is defined only for outputs of sum, mean and
  // matmul over spec inputs (Spec.h sumFormRefusal).
  void checkSumForm() const {
    if (!s_.tolerance.sumForm())
      return;
    for (const std::string &out : s_.outputs) {
      std::string why = sumFormRefusal(s_, out);
      if (!why.empty())
        fail("tolerance: 'sum_rtol' applies only to outputs of sum, mean or "
             "matmul over spec inputs: " +
             why);
    }
  }

  // An op whose float32 result PyTorch does not pin down bit for bit
  // (transcendentals, sums in an unspecified order) needs a tolerance.
  void checkToleranceNeeded() const {
    if (!s_.tolerance.bitExact())
      return;
    for (const OpNode &op : s_.ops) {
      std::string why = toleranceReason(op);
      if (!why.empty())
        fail(opLabel(op) +
             ": needs a non-zero tolerance (\"tolerance\": {\"atol\": ..., "
             "\"rtol\": ...}): " +
             why);
    }
  }

  const json &j_;
  Spec s_;
  std::map<std::string, const OpNode *> definedBy_;
};

} // namespace

Spec parseSpec(const nlohmann::json &j, const std::string &pathForMessages) {
  return SpecParser(j, pathForMessages).run();
}

Spec parseSpecFile(const std::string &path) {
  return parseSpec(readJsonFile(path), path);
}

} // namespace ksynth::spec
