// The __local tree sum and epilogues of tensor ops (Epilogue.h).
#include "synth/Epilogue.h"

#include "synth/Elementwise.h"

#include <map>
#include <set>

namespace ksynth::synth {

std::string localTreeSum(const std::string &term, const std::string &result) {
  return "  acc = 0.0f;\n"
         "  for (int j = lid; j < n; j += L)\n"
         "    acc += " +
         term +
         ";\n"
         "  red[lid] = acc;\n"
         "  barrier(CLK_LOCAL_MEM_FENCE);\n"
         "  for (int t = L / 2; t > 0; t >>= 1) {\n"
         "    if (lid < t)\n"
         "      red[lid] += red[lid + t];\n"
         "    barrier(CLK_LOCAL_MEM_FENCE);\n"
         "  }\n"
         "  " +
         result +
         " = red[0];\n"
         "  barrier(CLK_LOCAL_MEM_FENCE);\n";
}

namespace {

std::string strideParam(const std::string &name, size_t dim) {
  return "s_" + ident(name) + "_" + std::to_string(dim);
}

} // namespace

std::string Epilogue::params() const {
  std::string r;
  for (const Operand &o : operands) {
    if (o.scalar) {
      r += ", const float " + ident(o.name);
      continue;
    }
    r += ", __global const float *p_" + ident(o.name);
    for (const auto &t : o.terms)
      r += ", const int " + strideParam(o.name, t.first);
  }
  return r;
}

nlohmann::json Epilogue::args() const {
  nlohmann::json r = nlohmann::json::array();
  for (const Operand &o : operands) {
    r.push_back(o.name);
    if (!o.scalar)
      for (const auto &t : o.terms)
        r.push_back(t.second);
  }
  return r;
}

std::string Epilogue::code(const std::vector<std::string> &coords) const {
  if (ops.empty())
    return "";
  std::string c = "{\n  float " + ident(tensorOut) + " = acc;\n";
  std::map<std::string, std::string> val;
  val[tensorOut] = ident(tensorOut);
  for (const Operand &o : operands) {
    if (o.scalar) {
      val[o.name] = ident(o.name);
      continue;
    }
    std::string idx;
    for (const auto &t : o.terms)
      idx += (idx.empty() ? "" : " + ") + coords.at(t.first) + " * " +
             strideParam(o.name, t.first);
    c += "  float " + ident(o.name) + " = p_" + ident(o.name) + "[" +
         (idx.empty() ? "0" : idx) + "];\n";
    val[o.name] = ident(o.name);
  }
  for (const spec::OpNode *op : ops) {
    std::vector<std::string> a;
    for (const spec::Operand &x : op->inputs)
      a.push_back(std::holds_alternative<double>(x)
                      ? floatLiteral(std::get<double>(x))
                      : val.at(std::get<std::string>(x)));
    std::string out = ident(op->output), body, why;
    elementwiseOpCode(*op, a, out, body, why);
    c += "  float " + out + ";\n";
    for (size_t at = 0; at < body.size();) {
      size_t nl = body.find('\n', at);
      c += "  " + body.substr(at, nl - at) + "\n";
      at = nl == std::string::npos ? body.size() : nl + 1;
    }
    val[op->output] = out;
  }
  return c + "  acc = " + val.at(output) + ";\n}\n";
}

std::string Epilogue::describe() const {
  std::string r;
  for (const spec::OpNode *op : ops)
    r += (r.empty() ? "" : ", ") + op->op;
  return r;
}

std::optional<Epilogue> planEpilogue(const spec::Spec &s, std::string &why) {
  std::vector<const spec::OpNode *> order = spec::topoOrder(s);
  if (order.empty() || s.outputs.size() != 1) {
    why = "needs one output";
    return std::nullopt;
  }
  Epilogue e;
  e.tensorOut = order[0]->output;
  e.output = s.outputs[0];
  std::vector<std::map<std::string, spec::TensorType>> types;
  for (const spec::ShapeBinding &b : s.shapes)
    types.push_back(spec::inferTypes(s, b));
  std::set<std::string> chain = {e.tensorOut};
  std::set<std::string> seen;
  for (size_t k = 1; k < order.size(); ++k) {
    const spec::OpNode &op = *order[k];
    std::string code, w;
    std::vector<std::string> dummy(op.inputs.size(), "a");
    if (!elementwiseOpCode(op, dummy, "r", code, w)) {
      why = "after " + order[0]->op + ": " + w;
      return std::nullopt;
    }
    for (const auto &t : types)
      if (t.at(op.output).dims != t.at(e.tensorOut).dims ||
          t.at(op.output).dtype != spec::DType::Float32) {
        why = "op '" + op.op + "' is not elementwise over the " + order[0]->op +
              " output's shape";
        return std::nullopt;
      }
    for (const spec::Operand &x : op.inputs) {
      const std::string *n = std::get_if<std::string>(&x);
      if (!n || chain.count(*n) || seen.count(*n))
        continue;
      const spec::TensorDecl *d = s.findInput(*n);
      if (!d || d->dtype != spec::DType::Float32) {
        why = "operand '" + *n + "' of op '" + op.op +
              "' is neither the chain's value nor a float32 input";
        return std::nullopt;
      }
      seen.insert(*n);
      Epilogue::Operand o;
      o.name = *n;
      o.scalar = d->shape.empty();
      size_t r = d->shape.size();
      for (size_t q = 0; q < r && !o.scalar; ++q) {
        bool one = true, equal = true;
        for (const auto &t : types) {
          const std::vector<int64_t> &od = t.at(e.tensorOut).dims;
          const std::vector<int64_t> &dd = t.at(*n).dims;
          if (dd.size() > od.size()) {
            why = "operand '" + *n + "' has more dims than the output";
            return std::nullopt;
          }
          one = one && dd[q] == 1;
          equal = equal && dd[q] == od[od.size() - r + q];
        }
        if (one)
          continue;
        if (!equal) {
          why = "operand '" + *n + "' does not broadcast to the output";
          return std::nullopt;
        }
        std::string stride;
        for (size_t p = q + 1; p < r; ++p)
          stride +=
              (stride.empty() ? "" : "*") + ("(" + d->shape[p].text() + ")");
        size_t outRank = types[0].at(e.tensorOut).dims.size();
        o.terms.push_back({outRank - r + q, stride.empty() ? "1" : stride});
      }
      e.operands.push_back(o);
    }
    if (usesDivide(op.op))
      e.needsDivide = true;
    chain.insert(op.output);
    e.ops.push_back(&op);
  }
  if (!(order.size() == 1 ? e.tensorOut == e.output
                          : order.back()->output == e.output)) {
    why = "the output is not the chain's last value";
    return std::nullopt;
  }
  for (const spec::OpNode *op : order)
    if (op != order.back() && op->output == e.output) {
      why = "the output is not the chain's last value";
      return std::nullopt;
    }
  return e;
}

} // namespace ksynth::synth
