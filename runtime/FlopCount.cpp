// Flop counts of specs (runtime/FlopCount.h has the convention). One switch
// on the op's name; it reads spec/Spec.h (op names, operands, attrs as
// JSON, tensor types) and, for data movement (the Layout family: 0 flops),
// the op table's family, so that new ops in spec/ cost a line here at most,
// and an op not listed yet is counted by the fallback instead of breaking
// the build.
#include "runtime/FlopCount.h"

#include "spec/OpTable.h"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace ksynth::runtime {

namespace {

double numel(const spec::TensorType *t) {
  return t ? static_cast<double>(t->numel()) : 1.0;
}

// Elementwise ops: primitives per output element (see the header).
int elementwiseCost(const spec::OpNode &op) {
  static const std::map<std::string, int> cost = {
      // one primitive
      {"add", 1},
      {"sub", 1},
      {"mul", 1},
      {"div", 1},
      {"neg", 1},
      {"abs", 1},
      {"sqrt", 1},
      {"minimum", 1},
      {"maximum", 1},
      {"min", 1},
      {"max", 1},
      {"relu", 1}, // x < 0 ? 0 : x
      {"gt", 1},
      {"ge", 1},
      {"lt", 1},
      {"le", 1},
      {"eq", 1},
      {"ne", 1},
      {"logical_and", 1},
      {"logical_or", 1},
      {"logical_not", 1},
      {"where", 1},
      {"sqrt", 1},
      {"tanh", 1},
      {"exp", 1},
      {"log", 1},
      {"log1p", 1},
      {"expm1", 1},
      {"erf", 1},
      // several primitives, as spec/Semantics.h / spec/ops/Activations.h
      // write them (selects and constant products folded away)
      {"relu6", 2},       // two compares
      {"hardtanh", 2},    // two compares
      {"leaky_relu", 2},  // compare, multiply
      {"hardsigmoid", 4}, // add, two compares, divide
      {"hardswish", 5},   // add, two compares, multiply, divide
      {"sigmoid", 4},     // neg, exp, add, divide
      {"softplus", 5},    // multiply, compare, exp, log1p, divide
      {"elu", 3},         // expm1, multiply, compare
      {"selu", 4},        // expm1, multiply, compare, multiply
      {"silu", 4},        // neg, exp, add, divide
      {"mish", 4},        // exp, log1p, tanh, multiply
      {"softsign", 3},    // abs, add, divide
  };
  if (op.op == "clamp") {
    if (op.inputs.size() == 3)
      return 2;
    return (op.attrs.contains("min") ? 1 : 0) +
           (op.attrs.contains("max") ? 1 : 0);
  }
  if (op.op == "gelu") {
    bool tanh = op.attrs.contains("approximate") &&
                op.attrs.at("approximate").is_string() &&
                op.attrs.at("approximate").get<std::string>() == "tanh";
    // erf form: x*0.5, x*c, erf, 1+, *; tanh form: x*x*x (2), k*, x+, b*,
    // tanh, 0.5*x, 1+, *.
    return tanh ? 9 : 5;
  }
  auto it = cost.find(op.op);
  return it == cost.end() ? -1 : it->second;
}

std::string attrString(const spec::OpNode &op, const char *name,
                       const std::string &dflt) {
  if (op.attrs.contains(name) && op.attrs.at(name).is_string())
    return op.attrs.at(name).get<std::string>();
  return dflt;
}

// The product of an integer-or-list attr over `n` spatial dims.
double attrProduct(const spec::OpNode &op, const char *name, size_t n) {
  if (!op.attrs.contains(name))
    return 1;
  const nlohmann::json &a = op.attrs.at(name);
  double p = 1;
  if (a.is_number_integer()) {
    for (size_t i = 0; i < n; ++i)
      p *= a.get<double>();
  } else if (a.is_array()) {
    for (const nlohmann::json &v : a)
      if (v.is_number())
        p *= v.get<double>();
  }
  return p;
}

// Elements of a type excluding its first dim (a weight's per-output-channel
// size: C_in/groups * kernel taps).
double perFirstDim(const spec::TensorType *t) {
  if (!t || t->dims.empty())
    return 1;
  double p = 1;
  for (size_t i = 1; i < t->dims.size(); ++i)
    p *= static_cast<double>(t->dims[i]);
  return p;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

} // namespace

OpFlops opFlops(const spec::OpNode &op,
                const std::vector<const spec::TensorType *> &in,
                const spec::TensorType &result, std::string *note) {
  OpFlops f;
  f.op = op.op;
  f.output = op.output;
  const double out = static_cast<double>(result.numel());
  const double x = in.empty() ? out : numel(in[0]);
  auto set = [&](double v, const std::string &rule) {
    f.flops = v;
    f.rule = rule + " = " + fmt(v);
  };
  const std::string &o = op.op;
  bool reduceName = o == "sum" || o == "mean" || o == "prod" || o == "argmax" ||
                    o == "argmin" || o == "norm" || o == "logsumexp" ||
                    ((o == "max" || o == "min") && in.size() == 1);

  if (!reduceName) {
    if (int c = elementwiseCost(op); c >= 0) {
      set(c * out, std::to_string(c) + " per output element x " + fmt(out));
      return f;
    }
  }
  if (reduceName) {
    if (o == "logsumexp") {
      set(4 * x + 2 * out, "4 per input element (max, subtract, exp, add) + "
                           "2 per output (log, add) (" +
                               fmt(x) + ", " + fmt(out) + ")");
    } else if (o == "mean") {
      set(x + out, "1 per input element + 1 per output (" + fmt(x) + " + " +
                       fmt(out) + ")");
    } else if (o == "norm") {
      std::string p = "2";
      if (op.attrs.contains("p")) {
        const nlohmann::json &a = op.attrs.at("p");
        p = a.is_string() ? a.get<std::string>() : fmt(a.get<double>());
      }
      if (p == "1" || p == "inf")
        set(2 * x, "2 per input element (abs, add or compare) x " + fmt(x));
      else
        set(2 * x + out, "2 per input element (square, add) + 1 sqrt per "
                         "output (" +
                             fmt(x) + ", " + fmt(out) + ")");
    } else {
      set(x, "1 per input element x " + fmt(x));
    }
    return f;
  }
  if (o == "cumsum" || o == "cumprod") {
    set(x, "1 per element x " + fmt(x));
  } else if (o == "softmax" || o == "log_softmax") {
    set(5 * x, "5 per element (max, subtract, exp, sum, divide) x " + fmt(x));
  } else if (o == "layer_norm" || o == "rms_norm" || o == "group_norm" ||
             o == "instance_norm") {
    int c = o == "rms_norm" ? 3 : 5;
    int affine = static_cast<int>(in.size()) - 1; // weight, bias
    set((c + affine) * x,
        std::to_string(c) + " per element" +
            (affine ? " + " + std::to_string(affine) + " for weight/bias"
                    : std::string()) +
            " x " + fmt(x));
  } else if (o == "batch_norm") {
    set(2 * x, "2 per element (x * alpha + beta) x " + fmt(x));
  } else if (spec::isTensorOpName(o) &&
             spec::tensorOpFamily(o) == spec::TensorOpFamily::Layout) {
    set(0, "data movement only: 0"); // the Layout family
  } else if (o == "matmul") {
    // out[.., i, j] = sum_p a[.., i, p] * b[.., p, j]: K = a's last dim.
    double k = in.size() >= 1 && in[0] && !in[0]->dims.empty()
                   ? static_cast<double>(in[0]->dims.back())
                   : 1;
    set(2 * out * k,
        "2*M*N*K (batch included): 2 x " + fmt(out) + " outputs x K " + fmt(k));
  } else if (o == "conv1d" || o == "conv2d" || o == "conv3d") {
    const spec::TensorType *w = in.size() >= 2 ? in[1] : nullptr;
    double taps = perFirstDim(w); // C_in/groups * kernel taps
    bool bias = in.size() >= 3;
    set(2 * out * taps + (bias ? out : 0),
        "2 x " + fmt(out) + " outputs x C_in/groups*taps " + fmt(taps) +
            (bias ? " + bias " + fmt(out) : std::string()));
  } else if (o == "conv_transpose1d" || o == "conv_transpose2d" ||
             o == "conv_transpose3d") {
    // weight [C_in, C_out/groups, k...]: every input element meets
    // C_out/groups * taps weights.
    const spec::TensorType *w = in.size() >= 2 ? in[1] : nullptr;
    double taps = perFirstDim(w);
    bool bias = in.size() >= 3;
    set(2 * x * taps + (bias ? out : 0),
        "2 x " + fmt(x) + " inputs x C_out/groups*taps " + fmt(taps) +
            (bias ? " + bias " + fmt(out) : std::string()));
  } else if (o.rfind("max_pool", 0) == 0 || o.rfind("avg_pool", 0) == 0) {
    size_t n = o.find("1d") != std::string::npos   ? 1
               : o.find("3d") != std::string::npos ? 3
                                                   : 2;
    double taps = attrProduct(op, "kernel_size", n);
    bool avg = o.rfind("avg", 0) == 0;
    set(out * (taps + (avg ? 1 : 0)), fmt(out) + " outputs x (" + fmt(taps) +
                                          " taps" +
                                          (avg ? " + 1 divide)" : ")"));
  } else if (o == "mse_loss" || o == "huber_loss" || o == "hinge_loss" ||
             o == "cross_entropy") {
    bool reduced = attrString(op, "reduction", "mean") != "none";
    if (o == "cross_entropy") {
      const spec::TensorType *t = in.size() >= 2 ? in[1] : nullptr;
      bool probs = t && t->dtype == spec::DType::Float32;
      double c = in[0] && !in[0]->dims.empty()
                     ? static_cast<double>(in[0]->dims.back())
                     : 1;
      double rows = c > 0 ? x / c : x;
      int per = probs ? 6 : 4;
      set(per * x + (reduced ? rows : 0),
          std::to_string(per) + " per logit (max, subtract, exp, sum" +
              (probs ? ", multiply, add" : "") + ") x " + fmt(x) +
              (reduced ? " + 1 per row " + fmt(rows) : std::string()));
    } else {
      int per = o == "mse_loss" ? 2 : o == "huber_loss" ? 5 : 3;
      per += reduced ? 1 : 0;
      set(per * x, std::to_string(per) + " per element" +
                       (reduced ? " (reduction included)" : "") + " x " +
                       fmt(x));
    }
  } else if (o == "kl_div") {
    bool reduced = attrString(op, "reduction", "mean") != "none";
    int per = 4 + (reduced ? 1 : 0); // log (or exp), two multiplies, subtract
    set(per * x, std::to_string(per) + " per element" +
                     (reduced ? " (reduction included)" : "") + " x " + fmt(x));
  } else if (o == "triplet_margin_loss") {
    // Per element of each of the two (three with swap) distances: subtract,
    // add eps, square, add; per row: two sqrt, add, subtract, clamp.
    bool swap = op.attrs.contains("swap") && op.attrs.at("swap").is_boolean() &&
                op.attrs.at("swap").get<bool>();
    double d = swap ? 3 : 2;
    double rows = in[0] && in[0]->dims.size() == 2
                      ? static_cast<double>(in[0]->dims[0])
                      : 1;
    set(4 * d * x + 5 * rows, "4 per element x " + fmt(d) + " distances x " +
                                  fmt(x) + " + 5 per row " + fmt(rows));
  } else {
    set(out, "unknown to the flop table: 1 per output element x " + fmt(out));
    if (note)
      *note = "op '" + o + "' (output '" + op.output +
              "') is not in the flop table (runtime/FlopCount.cpp): counted "
              "as 1 flop per output element";
  }
  return f;
}

FlopCount countFlops(const spec::Spec &s, const spec::ShapeBinding &b) {
  std::map<std::string, spec::TensorType> types = spec::inferTypes(s, b);
  // Ops the outputs depend on.
  std::map<std::string, const spec::OpNode *> producer;
  for (const spec::OpNode &op : s.ops)
    producer[op.output] = &op;
  std::set<const spec::OpNode *> needed;
  std::function<void(const std::string &)> visit = [&](const std::string &t) {
    auto it = producer.find(t);
    if (it == producer.end() || !needed.insert(it->second).second)
      return;
    for (const spec::Operand &o : it->second->inputs)
      if (const std::string *name = std::get_if<std::string>(&o))
        visit(*name);
  };
  for (const std::string &o : s.outputs)
    visit(o);

  FlopCount c;
  for (const spec::OpNode *op : spec::topoOrder(s)) {
    if (!needed.count(op))
      continue;
    std::vector<const spec::TensorType *> in;
    for (const spec::Operand &o : op->inputs) {
      const std::string *name = std::get_if<std::string>(&o);
      auto it = name ? types.find(*name) : types.end();
      in.push_back(it == types.end() ? nullptr : &it->second);
    }
    std::string note;
    OpFlops f = opFlops(*op, in, types.at(op->output), &note);
    if (!note.empty())
      c.notes.push_back(note);
    c.total += f.flops;
    c.ops.push_back(std::move(f));
  }
  return c;
}

} // namespace ksynth::runtime
