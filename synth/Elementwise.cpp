// Elementwise lowering: the op expressions (written to round as PyTorch's
// float32 ops do), the naive multi-launch pipeline and fused schedules.
#include "synth/Elementwise.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace ksynth::synth {

std::string ident(const std::string &name) {
  std::string r = "v_";
  for (char c : name)
    r += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  return r;
}

static double attrOr(const spec::OpNode &op, const char *key, double dflt) {
  if (op.attrs.contains(key) && op.attrs.at(key).is_number())
    return op.attrs.at(key).get<double>();
  return dflt;
}

bool elementwiseOpCode(const spec::OpNode &op,
                       const std::vector<std::string> &a,
                       const std::string &out, std::string &code,
                       std::string &why) {
  const std::string &o = op.op;
  auto clampCode = [&](std::optional<double> lo, std::optional<double> hi) {
    std::string t = a[0];
    code += out + " = " + t + ";\n";
    if (lo)
      code += out + " = " + out + " < " + floatLiteral(*lo) + " ? " +
              floatLiteral(*lo) + " : " + out + ";\n";
    if (hi)
      code += out + " = " + out + " > " + floatLiteral(*hi) + " ? " +
              floatLiteral(*hi) + " : " + out + ";\n";
  };
  if (a.size() == 2 && (o == "add" || o == "sub" || o == "mul" || o == "div")) {
    const char *sym = o == "add"   ? "+"
                      : o == "sub" ? "-"
                      : o == "mul" ? "*"
                                   : "/";
    code += out + " = " + a[0] + " " + sym + " " + a[1] + ";\n";
  } else if (o == "neg") {
    code += out + " = -" + a[0] + ";\n";
  } else if (o == "abs") {
    code += out + " = fabs(" + a[0] + ");\n";
  } else if (o == "relu") {
    code += out + " = " + a[0] + " < 0.0f ? 0.0f : " + a[0] + ";\n";
  } else if (o == "relu6") {
    clampCode(0.0, 6.0);
  } else if (o == "hardtanh") {
    clampCode(attrOr(op, "min_val", -1.0), attrOr(op, "max_val", 1.0));
  } else if (o == "clamp" && a.size() == 1) {
    std::optional<double> lo, hi;
    if (op.attrs.contains("min") && op.attrs.at("min").is_number())
      lo = op.attrs.at("min").get<double>();
    if (op.attrs.contains("max") && op.attrs.at("max").is_number())
      hi = op.attrs.at("max").get<double>();
    clampCode(lo, hi);
  } else if (o == "leaky_relu") {
    code += out + " = " + a[0] + " > 0.0f ? " + a[0] + " : " + a[0] + " * " +
            floatLiteral(attrOr(op, "negative_slope", 0.01)) + ";\n";
  } else if (o == "hardsigmoid") {
    code += out + " = " + a[0] + " + 3.0f;\n";
    code += out + " = " + out + " < 0.0f ? 0.0f : " + out + ";\n";
    code += out + " = " + out + " > 6.0f ? 6.0f : " + out + ";\n";
    code += out + " = " + out + " / 6.0f;\n";
  } else if (o == "softsign") {
    code += out + " = " + a[0] + " / (1.0f + fabs(" + a[0] + "));\n";
  } else if (o == "sigmoid") {
    code += out + " = 1.0f / (1.0f + exp(-" + a[0] + "));\n";
  } else if (o == "exp" || o == "tanh" || o == "log") {
    code += out + " = " + o + "(" + a[0] + ");\n";
  } else if (o == "elu" || o == "selu") {
    // spec/ops/Activations.h: x < 0 ? expm1(x) * negcoef : x * scale, with
    // selu's negcoef the float32 product of float32 alpha and scale.
    std::string neg, pos = a[0];
    if (o == "elu") {
      neg = floatLiteral(attrOr(op, "alpha", 1.0));
    } else {
      neg = "(" + floatLiteral(1.6732632423543772848170429916717) + " * " +
            floatLiteral(1.0507009873554804934193349852946) + ")";
      pos = a[0] + " * " + floatLiteral(1.0507009873554804934193349852946);
    }
    // expm1 first, then a select: one path per element (a branch around
    // the call would give 2^k paths for k elements per work-item).
    code += "float " + out + "_e = expm1(" + a[0] + ");\n";
    code += out + " = " + a[0] + " < 0.0f ? " + out + "_e * " + neg + " : " +
            pos + ";\n";
  } else if (o == "gelu") {
    bool tanhForm = op.attrs.contains("approximate") &&
                    op.attrs.at("approximate").is_string() &&
                    op.attrs.at("approximate").get<std::string>() == "tanh";
    if (!tanhForm)
      code += out + " = (" + a[0] + " * 0.5f) * (1.0f + erf(" + a[0] + " * " +
              floatLiteral(0.70710678118654752440084436210484903928) + "));\n";
    else
      code += out + " = (0.5f * " + a[0] + ") * (1.0f + tanh(" +
              floatLiteral(0.79788456080286535587989211986876373695) + " * (" +
              a[0] + " + " + floatLiteral(0.044715) + " * ((" + a[0] + " * " +
              a[0] + ") * " + a[0] + "))));\n";
  } else if (o == "silu") {
    code += out + " = " + a[0] + " / (1.0f + exp(-" + a[0] + "));\n";
  } else if (o == "softplus") {
    std::string b = floatLiteral(attrOr(op, "beta", 1.0));
    std::string th = floatLiteral(attrOr(op, "threshold", 20.0));
    code += "float " + out + "_xb = " + a[0] + " * " + b + ";\n";
    code += "float " + out + "_l = log1p(exp(" + out + "_xb)) / " + b + ";\n";
    code += out + " = " + out + "_xb > " + th + " ? " + a[0] + " : " + out +
            "_l;\n";
  } else if (o == "mish") {
    code += out + " = " + a[0] + " * tanh(log1p(exp(" + a[0] + ")));\n";
  } else {
    why = "op '" + o + "' has no lowering in the built-in generator";
    return false;
  }
  return true;
}

bool usesDivide(const std::string &op) {
  return op == "div" || op == "hardsigmoid" || op == "softsign" ||
         op == "silu" || op == "softplus";
}

namespace {

// The statements of one element: `load(tensor)` gives the C expression of
// a full-shape input's element, `store(output, value)` the statement that
// writes an output element. Values live in block-local floats.
std::string elementCode(
    const ElementwisePlan &p,
    const std::function<std::string(const std::string &)> &load,
    const std::function<std::string(const std::string &, const std::string &)>
        &store) {
  std::string code;
  std::map<std::string, std::string> val;
  for (const std::string &t : p.tensorIns) {
    code += "float " + ident(t) + " = " + load(t) + ";\n";
    val[t] = ident(t);
  }
  for (const std::string &t : p.scalarIns)
    val[t] = ident(t);
  for (const spec::OpNode *op : p.ops) {
    std::vector<std::string> args;
    for (const spec::Operand &x : op->inputs)
      args.push_back(std::holds_alternative<double>(x)
                         ? floatLiteral(std::get<double>(x))
                         : val.at(std::get<std::string>(x)));
    std::string out = ident(op->output), why;
    code += "float " + out + ";\n";
    elementwiseOpCode(*op, args, out, code, why);
    val[op->output] = out;
  }
  for (const std::string &o : p.spec->outputs)
    code += store(o, val.at(o));
  return code;
}

std::string indent(const std::string &code, int n) {
  std::string pad(n, ' '), r;
  std::istringstream in(code);
  for (std::string line; std::getline(in, line);)
    r += (line.empty() ? "" : pad + line) + "\n";
  return r;
}

nlohmann::json buildOptions(const ElementwisePlan &p) {
  nlohmann::json o = nlohmann::json::array();
  if (p.needsIeeeDivide)
    o.push_back("-cl-fp32-correctly-rounded-divide-sqrt");
  return o;
}

std::string header(const ElementwisePlan &p, const std::string &what) {
  return "// ksynth synth (built-in generator): " + what +
         "\n// spec: " + p.spec->name + "\n";
}

} // namespace

std::string floatLiteral(double v) {
  float f = static_cast<float>(v);
  if (std::isnan(f))
    return "NAN";
  if (std::isinf(f))
    return f > 0 ? "INFINITY" : "(-INFINITY)";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos)
    s += ".0";
  if (s[0] == '-')
    return "(" + s + "f)";
  return s + "f";
}

nlohmann::json Schedule::toJson() const {
  return {{"vector", vec},
          {"elements_per_item", ept},
          {"order", strided ? "grid-stride" : "blocked"},
          {"work_group", wg == 0 ? nlohmann::json() : nlohmann::json(wg)}};
}

bool Schedule::operator<(const Schedule &o) const {
  return std::tie(vec, ept, strided, wg) <
         std::tie(o.vec, o.ept, o.strided, o.wg);
}

std::optional<ElementwisePlan> planElementwise(const spec::Spec &s,
                                               std::string &why) {
  ElementwisePlan p;
  p.spec = &s;
  const spec::TensorDecl *full = nullptr;
  for (const spec::TensorDecl &d : s.inputs) {
    if (d.dtype != spec::DType::Float32) {
      why = "input '" + d.name + "' is not float32";
      return std::nullopt;
    }
    if (d.shape.empty()) {
      p.scalarIns.push_back(d.name);
      continue;
    }
    if (!full)
      full = &d;
    std::vector<std::string> a, b;
    for (const auto &e : d.shape)
      a.push_back(e.text());
    for (const auto &e : full->shape)
      b.push_back(e.text());
    if (a != b) {
      why = "inputs '" + full->name + "' and '" + d.name +
            "' differ in shape (broadcasting is not lowered)";
      return std::nullopt;
    }
    p.tensorIns.push_back(d.name);
  }
  if (!full) {
    why = "no input with a shape";
    return std::nullopt;
  }
  for (size_t i = 0; i < full->shape.size(); ++i)
    p.numel += (i ? "*" : "") + std::string("(") + full->shape[i].text() + ")";
  std::map<std::string, spec::TensorType> types =
      spec::inferTypes(s, s.shapes.at(0));
  const spec::TensorType &ft = types.at(full->name);
  for (const spec::OpNode *op : spec::topoOrder(s)) {
    std::string code, w;
    std::vector<std::string> dummy(op->inputs.size(), "a");
    if (!elementwiseOpCode(*op, dummy, "r", code, w)) {
      why = w;
      return std::nullopt;
    }
    const spec::TensorType &t = types.at(op->output);
    if (t.dtype != spec::DType::Float32 || t.dims != ft.dims) {
      why = "op '" + op->op + "' (output '" + op->output +
            "') is not elementwise over the input's shape";
      return std::nullopt;
    }
    for (const spec::Operand &x : op->inputs)
      if (auto *n = std::get_if<std::string>(&x)) {
        const spec::TensorType &it = types.at(*n);
        if (!(it.dims == ft.dims || it.dims.empty())) {
          why = "operand '" + *n + "' of op '" + op->op + "' broadcasts";
          return std::nullopt;
        }
        if (it.dims.empty() && !s.findInput(*n)) {
          why = "0-d intermediate '" + *n + "' is not lowered";
          return std::nullopt;
        }
      }
    if (usesDivide(op->op))
      p.needsIeeeDivide = true;
    p.ops.push_back(op);
  }
  for (const std::string &o : s.outputs)
    if (s.findInput(o)) {
      why = "output '" + o + "' is an input";
      return std::nullopt;
    }
  return p;
}

Candidate naiveElementwise(const ElementwisePlan &p) {
  Candidate c;
  c.kind = "naive";
  c.baseline = true;
  c.params = {{"launches", p.ops.size()}};
  std::set<std::string> outs(p.spec->outputs.begin(), p.spec->outputs.end());
  std::set<std::string> scalars(p.scalarIns.begin(), p.scalarIns.end());
  auto bufName = [&](const std::string &t) {
    return (p.spec->findInput(t) || outs.count(t)) ? t : "tmp_" + t;
  };
  std::string src = header(p, "naive lowering, one kernel per op, one "
                              "work-item per element");
  nlohmann::json launches = nlohmann::json::array();
  nlohmann::json temps = nlohmann::json::object();
  int k = 0;
  for (const spec::OpNode *op : p.ops) {
    std::string kname = "op" + std::to_string(k++) + "_" + op->op;
    std::string params, body;
    nlohmann::json args = nlohmann::json::array();
    std::vector<std::string> operands;
    std::set<std::string> seen;
    for (const spec::Operand &x : op->inputs) {
      if (auto *d = std::get_if<double>(&x)) {
        operands.push_back(floatLiteral(*d));
        continue;
      }
      const std::string &n = std::get<std::string>(x);
      operands.push_back(ident(n));
      if (!seen.insert(n).second)
        continue;
      if (scalars.count(n)) {
        params += "const float " + ident(n) + ", ";
      } else {
        params += "__global const float *p_" + ident(n) + ", ";
        body += "float " + ident(n) + " = p_" + ident(n) + "[i];\n";
      }
      args.push_back(bufName(n));
    }
    std::string out = ident(op->output), why;
    params += "__global float *p_" + out + ", const int n";
    args.push_back(bufName(op->output));
    args.push_back(p.numel);
    body += "float " + out + ";\n";
    elementwiseOpCode(*op, operands, out, body, why);
    body += "p_" + out + "[i] = " + out + ";\n";
    if (bufName(op->output) != op->output)
      temps[bufName(op->output)] = {{"dtype", "float32"}, {"size", p.numel}};
    src += "\n__kernel void " + kname + "(" + params + ") {\n" +
           "  const int i = get_global_id(0);\n  if (i < n) {\n" +
           indent(body, 4) + "  }\n}\n";
    launches.push_back(
        {{"kernel", kname}, {"args", args}, {"global", {p.numel}}});
  }
  c.source = src;
  c.manifest = {{"fp_contract", false}, {"launches", launches}};
  if (!temps.empty())
    c.manifest["temporaries"] = temps;
  if (nlohmann::json bo = buildOptions(p); !bo.empty())
    c.manifest["build_options"] = bo;
  return c;
}

Candidate fusedElementwise(const ElementwisePlan &p, const Schedule &sch) {
  Candidate c;
  c.kind = "fused";
  c.params = sch.toJson();
  const int V = sch.vec, E = sch.ept;
  std::string vt = V == 1 ? "float" : "float" + std::to_string(V);
  std::string params;
  nlohmann::json args = nlohmann::json::array();
  for (const spec::TensorDecl &d : p.spec->inputs) {
    params += d.shape.empty()
                  ? "const float " + ident(d.name) + ", "
                  : "__global const float *p_" + ident(d.name) + ", ";
    args.push_back(d.name);
  }
  for (const std::string &o : p.spec->outputs) {
    params += "__global float *p_" + ident(o) + ", ";
    args.push_back(o);
  }
  params += "const int n";
  args.push_back(p.numel);

  auto scalarAt = [&](const std::string &idx) {
    return elementCode(
        p,
        [&](const std::string &t) { return "p_" + ident(t) + "[" + idx + "]"; },
        [&](const std::string &o, const std::string &v) {
          return "p_" + ident(o) + "[" + idx + "] = " + v + ";\n";
        });
  };
  std::string body;
  if (V == 1) {
    body = "if (i < n) {\n" +
           indent("{\n" + indent(scalarAt("i"), 2) + "}\n", 2) + "}\n";
  } else {
    std::string vec;
    for (const std::string &t : p.tensorIns)
      vec += vt + " w_" + ident(t) + " = vload" + std::to_string(V) + "(c, p_" +
             ident(t) + ");\n";
    for (const std::string &o : p.spec->outputs)
      vec += vt + " r_" + ident(o) + ";\n";
    for (int j = 0; j < V; ++j) {
      std::string comp = ".s" + std::to_string(j);
      vec += "{\n" +
             indent(elementCode(
                        p,
                        [&](const std::string &t) {
                          return "w_" + ident(t) + comp;
                        },
                        [&](const std::string &o, const std::string &v) {
                          return "r_" + ident(o) + comp + " = " + v + ";\n";
                        }),
                    2) +
             "}\n";
    }
    for (const std::string &o : p.spec->outputs)
      vec += "vstore" + std::to_string(V) + "(r_" + ident(o) + ", c, p_" +
             ident(o) + ");\n";
    body = "if (i + " + std::to_string(V) + " <= n) {\n" + indent(vec, 2) +
           "} else {\n  for (int j = i; j < n; ++j) {\n" +
           indent(scalarAt("j"), 4) + "  }\n}\n";
  }
  std::string loop;
  std::string chunk = E == 1        ? "g"
                      : sch.strided ? "g + k * G"
                                    : "g * " + std::to_string(E) + " + k";
  std::string inner = "const int c = " + chunk + ";\nconst int i = c * " +
                      std::to_string(V) + ";\n" + body;
  if (E == 1)
    loop = inner;
  else
    loop = "for (int k = 0; k < " + std::to_string(E) + "; ++k) {\n" +
           indent(inner, 2) + "}\n";
  std::string head = "const int g = get_global_id(0);\n";
  if (sch.strided && E > 1)
    head += "const int G = get_global_size(0);\n";
  std::string per = std::to_string(V * E);
  std::string items =
      V * E == 1 ? p.numel
                 : "(" + p.numel + "+" + std::to_string(V * E - 1) + ")/" + per;
  nlohmann::json global, local;
  if (sch.wg) {
    std::string L = std::to_string(sch.wg);
    global = {"((" + items + "+" + std::to_string(sch.wg - 1) + ")/" + L +
              ")*" + L};
    local = {sch.wg};
  } else {
    global = {items};
  }
  std::string kname = "fused";
  c.source = header(p, "fused chain, " + c.params.dump()) + "__kernel void " +
             kname + "(" + params + ") {\n" + indent(head + loop, 2) + "}\n";
  nlohmann::json launch = {
      {"kernel", kname}, {"args", args}, {"global", global}};
  if (sch.wg)
    launch["local"] = local;
  c.manifest = {{"fp_contract", false}, {"launches", {launch}}};
  if (nlohmann::json bo = buildOptions(p); !bo.empty())
    c.manifest["build_options"] = bo;
  return c;
}

} // namespace ksynth::synth
