// conv2d and pooling lowerings (Stencil.h).
#include "synth/Stencil.h"

#include "synth/Epilogue.h"

#include "spec/IntExpr.h"
#include "spec/ops/Params.h"

#include <optional>

namespace ksynth::synth {

namespace {

std::string num(int64_t v) { return std::to_string(v); }

// The manifest expression of a window count along an axis of `size`
// (kernel k, stride s, padding p, dilation d), checked against the spec's
// value `want` at binding `b`; "" when it differs.
std::string windowsExpr(const std::string &size, int64_t k, int64_t s,
                        int64_t p, int64_t d) {
  int64_t c = 2 * p - d * (k - 1) - 1;
  std::string inner = "(" + size + ")" + (c >= 0 ? "+" : "") + num(c);
  return "(" + inner + ")/" + num(s) + "+1";
}

bool exprIs(const std::string &e, const spec::ShapeBinding &b, int64_t want) {
  try {
    return spec::IntExpr::parse(e).eval(b) == want;
  } catch (...) {
    return false;
  }
}

// The C expression `v` clamped into [0, hi - 1].
std::string clampIdx(const std::string &v, const std::string &hi) {
  return "(" + v + " < 0 ? 0 : " + v + " >= " + hi + " ? " + hi +
         " - 1 : " + v + ")";
}

std::vector<spec::TensorType> operandTypes(const spec::Spec &s,
                                           const spec::OpNode &op,
                                           const spec::ShapeBinding &b) {
  auto t = spec::inferTypes(s, b);
  std::vector<spec::TensorType> r;
  for (const spec::Operand &x : op.inputs)
    r.push_back(t.at(std::get<std::string>(x)));
  return r;
}

} // namespace

std::vector<Candidate> conv2dCandidates(const spec::Spec &s, std::string &why) {
  std::vector<const spec::OpNode *> order =
      s.ops.empty() ? std::vector<const spec::OpNode *>{} : spec::topoOrder(s);
  if (order.empty() || order[0]->op != "conv2d") {
    why = "needs a conv2d as the first op";
    return {};
  }
  const spec::OpNode &op = *order[0];
  std::vector<const spec::TensorDecl *> in;
  for (const spec::Operand &x : op.inputs) {
    const std::string *n = std::get_if<std::string>(&x);
    const spec::TensorDecl *d = n ? s.findInput(*n) : nullptr;
    if (!d || d->dtype != spec::DType::Float32) {
      why = "conv2d operands must be float32 inputs";
      return {};
    }
    in.push_back(d);
  }
  if (in[0]->shape.size() != 4 ||
      (in.size() == 3 && in[2]->shape.size() != 1)) {
    why = "conv2d needs a batched [N, C, H, W] input (and a 1-d bias)";
    return {};
  }
  std::optional<Epilogue> ep = planEpilogue(s, why);
  if (!ep)
    return {};
  const spec::TensorDecl &X = *in[0], &Wt = *in[1];
  const bool bias = in.size() == 3;
  auto d = [](const spec::TensorDecl &t, size_t i) {
    return "(" + t.shape[i].text() + ")";
  };
  const std::string N = d(X, 0), C = d(X, 1), H = d(X, 2), W = d(X, 3),
                    O = d(Wt, 0);
  spec::ConvParams p0 = spec::convParams(op, operandTypes(s, op, s.shapes[0]));
  const std::string OH = windowsExpr(H, p0.kh, p0.sh, p0.ph, p0.dh),
                    OW = windowsExpr(W, p0.kw, p0.sw, p0.pw, p0.dw);
  for (const spec::ShapeBinding &b : s.shapes) {
    spec::ConvParams p = spec::convParams(op, operandTypes(s, op, b));
    if (p.groups != 1 || p.kh != p0.kh || p.kw != p0.kw ||
        !exprIs(OH, b, p.oh) || !exprIs(OW, b, p.ow)) {
      why = "conv2d with groups or kernel sizes that vary by shape";
      return {};
    }
  }
  const bool padded = p0.ph || p0.pw;
  if (p0.kh * p0.kw > 64) {
    why = "conv2d kernels larger than 64 taps are not lowered";
    return {};
  }
  nlohmann::json opts = nlohmann::json::array();
  if (ep->needsDivide)
    opts.push_back("-cl-fp32-correctly-rounded-divide-sqrt");
  const std::string what =
      "conv2d" + std::string(bias ? " with bias" : "") +
      (ep->empty() ? "" : " + " + ep->describe() + " (fused epilogue)");
  std::vector<Candidate> r;
  // (output channels, output columns) per work-item.
  for (auto [TO, TX] : {std::pair{1, 1}, {4, 1}, {1, 4}, {4, 2}}) {
    Candidate c;
    c.kind = TO * TX == 1 ? "conv2d-direct" : "conv2d-direct-tiled";
    c.baseline = TO * TX == 1;
    c.params = {{"channels_per_item", TO}, {"columns_per_item", TX}};
    if (!ep->empty())
      c.params["epilogue"] = ep->describe();
    std::string src =
        "// ksynth synth (built-in generator): " + what + ", direct,\n// " +
        num(TO) + " output channel(s) x " + num(TX) +
        " output column(s) per work-item\n"
        "__kernel void conv2d(__global const float *x, __global const float "
        "*w,\n" +
        (bias ? "                     __global const float *b,\n" : "") +
        "                     __global float *y, const int C, const int H,\n"
        "                     const int W, const int O, const int OH,\n"
        "                     const int OW" +
        ep->params() + ") {\n";
    src += "  const int ox0 = get_global_id(0) * " + num(TX) +
           ", oy = get_global_id(1);\n";
    if (TO == 1)
      src += "  const int n = get_global_id(2) / O, oc0 = get_global_id(2) % "
             "O;\n";
    else
      src += "  const int OB = (O + " + num(TO - 1) + ") / " + num(TO) +
             ";\n"
             "  const int n = get_global_id(2) / OB, oc0 = get_global_id(2) % "
             "OB * " +
             num(TO) + ";\n";
    for (int o = 0; o < TO; ++o) {
      if (TO > 1) // a ragged block reads the last channel's weights
        src += "  const int wo" + num(o) + " = oc0 + " + num(o) +
               " < O ? oc0 + " + num(o) + " : O - 1;\n";
      for (int t = 0; t < TX; ++t)
        src += "  float acc" + num(o) + "_" + num(t) + " = 0.0f;\n";
    }
    src += "  for (int ic = 0; ic < C; ++ic) {\n"
           "    __global const float *xc = x + (n * C + ic) * H * W;\n"
           "    for (int ky = 0; ky < " +
           num(p0.kh) +
           "; ++ky) {\n"
           "      const int iy = oy * " +
           num(p0.sh) + " - " + num(p0.ph) + " + ky * " + num(p0.dh) + ";\n" +
           (padded ? "      const int yin = (iy >= 0) & (iy < H);\n"
                     "      const int iyc = " +
                         clampIdx("iy", "H") + ";\n"
                   : std::string()) +
           "      for (int kx = 0; kx < " + num(p0.kw) + "; ++kx) {\n";
    for (int t = 0; t < TX; ++t) {
      std::string T = num(t);
      // Without padding every tap of a real output is inside the input;
      // a ragged column (t > 0) reads the last column's taps instead.
      std::string col = t == 0 || padded ? "(ox0 + " + T + ")"
                                         : "(ox0 + " + T + " < OW ? ox0 + " +
                                               T + " : OW - 1)";
      src += "        const int ix" + T + " = " + col + " * " + num(p0.sw) +
             " - " + num(p0.pw) + " + kx * " + num(p0.dw) + ";\n";
      if (padded)
        src += "        const float xv" + T + " = xc[iyc * W + " +
               clampIdx("ix" + T, "W") +
               "];\n"
               "        const float v" +
               T + " = (yin & (ix" + T + " >= 0) & (ix" + T + " < W)) ? xv" +
               T + " : 0.0f;\n";
      else
        src += "        const float v" + T + " = xc[iy * W + ix" + T + "];\n";
    }
    for (int o = 0; o < TO; ++o) {
      std::string Oc = TO == 1 ? "oc0" : "wo" + num(o);
      src += "        const float w" + num(o) + " = w[((" + Oc +
             " * C + ic) * " + num(p0.kh) + " + ky) * " + num(p0.kw) +
             " + kx];\n";
      for (int t = 0; t < TX; ++t)
        src += "        acc" + num(o) + "_" + num(t) + " += v" + num(t) +
               " * w" + num(o) + ";\n";
    }
    src += "      }\n    }\n  }\n";
    for (int o = 0; o < TO; ++o)
      for (int t = 0; t < TX; ++t) {
        std::string oc = "oc0 + " + num(o), ox = "ox0 + " + num(t);
        std::string guard;
        if (TO > 1)
          guard += oc + " < O";
        if (TX > 1)
          guard += (guard.empty() ? "" : " && ") + ox + " < OW";
        std::string body = "float acc = acc" + num(o) + "_" + num(t) + ";\n";
        if (bias)
          body += "acc += b[" + oc + "];\n";
        body += ep->code({"n", "(" + oc + ")", "oy", "(" + ox + ")"});
        body +=
            "y[((n * O + " + oc + ") * OH + oy) * OW + " + ox + "] = acc;\n";
        std::string ind;
        for (size_t at = 0; at < body.size();) {
          size_t nl = body.find('\n', at);
          ind += "    " + body.substr(at, nl - at) + "\n";
          at = nl == std::string::npos ? body.size() : nl + 1;
        }
        src += (guard.empty() ? "  {\n" : "  if (" + guard + ") {\n") + ind +
               "  }\n";
      }
    c.source = src + "}\n";
    nlohmann::json args = {X.name, Wt.name};
    if (bias)
      args.push_back(in[2]->name);
    for (const std::string &a : {ep->output, C, H, W, O, OH, OW})
      args.push_back(a);
    for (const auto &a : ep->args())
      args.push_back(a);
    nlohmann::json global = {
        TX == 1 ? OW : "ceildiv(" + OW + ", " + num(TX) + ")", OH,
        TO == 1 ? N + "*" + O : N + "*ceildiv(" + O + ", " + num(TO) + ")"};
    c.manifest = {
        {"fp_contract", false},
        {"launches",
         {{{"kernel", "conv2d"}, {"args", args}, {"global", global}}}}};
    if (!opts.empty())
      c.manifest["build_options"] = opts;
    r.push_back(c);
  }
  return r;
}

std::vector<Candidate> poolCandidates(const spec::Spec &s, std::string &why) {
  const std::string kind = s.ops.size() == 1 ? s.ops[0].op : "";
  if (kind != "max_pool1d" && kind != "max_pool2d" && kind != "avg_pool1d" &&
      kind != "avg_pool2d") {
    why = "needs one max_pool1d/2d or avg_pool1d/2d op";
    return {};
  }
  const spec::OpNode &op = s.ops[0];
  const std::string *xn = std::get_if<std::string>(&op.inputs[0]);
  const spec::TensorDecl *X = xn ? s.findInput(*xn) : nullptr;
  const int sp = kind[kind.size() - 2] == '1' ? 1 : 2;
  if (!X || X->dtype != spec::DType::Float32 || s.outputs.size() != 1 ||
      X->shape.size() < static_cast<size_t>(sp + 1)) {
    why = kind + " needs a float32 input";
    return {};
  }
  const bool isMax = kind.rfind("max", 0) == 0;
  spec::PoolParams p0 = spec::poolParams(op, operandTypes(s, op, s.shapes[0]));
  const size_t r = X->shape.size();
  auto d = [&](size_t i) { return "(" + X->shape[i].text() + ")"; };
  std::string planes;
  for (size_t i = 0; i + sp < r; ++i)
    planes += (planes.empty() ? "" : "*") + d(i);
  const std::string W = d(r - 1), H = sp == 2 ? d(r - 2) : "1";
  const std::string OW = windowsExpr(W, p0.kw, p0.sw, p0.pw, p0.dw),
                    OH = sp == 2 ? windowsExpr(H, p0.kh, p0.sh, p0.ph, p0.dh)
                                 : "1";
  for (const spec::ShapeBinding &b : s.shapes) {
    spec::PoolParams p = spec::poolParams(op, operandTypes(s, op, b));
    if (p.ph || p.pw || p.pd) {
      why = "pooling with padding is not lowered";
      return {};
    }
    if (!exprIs(OW, b, p.ow) || !exprIs(OH, b, p.oh)) {
      why = "pooling windows that the generator cannot express (" + OW +
            " for " + num(p.ow) + ", " + OH + " for " + num(p.oh) + ")";
      return {};
    }
  }
  const int64_t taps = p0.kh * p0.kw;
  if (taps > 64) {
    why = "pooling windows larger than 64 taps are not lowered";
    return {};
  }
  nlohmann::json opts = nlohmann::json::array();
  if (!isMax)
    opts.push_back("-cl-fp32-correctly-rounded-divide-sqrt");
  std::vector<Candidate> out;
  for (int TX : {1, 2, 4}) {
    Candidate c;
    c.kind = TX == 1 ? "pool-per-output" : "pool-columns-per-item";
    c.baseline = TX == 1;
    c.params = {{"op", kind}, {"columns_per_item", TX}};
    std::string src =
        "// ksynth synth (built-in generator): " + kind + ", " + num(TX) +
        " output(s) per work-item\n"
        "__kernel void pool(__global const float *x, __global float *y,\n"
        "                   const int H, const int W, const int OH,\n"
        "                   const int OW) {\n"
        "  const int ox0 = get_global_id(0) * " +
        num(TX) +
        ", oy = get_global_id(1);\n"
        "  __global const float *xp = x + get_global_id(2) * H * W;\n"
        "  __global float *yp = y + get_global_id(2) * OH * OW;\n";
    for (int t = 0; t < TX; ++t) {
      std::string T = num(t);
      std::string ox =
          TX == 1 ? "ox0" : "(ox0 + " + T + " < OW ? ox0 + " + T + " : OW - 1)";
      src += "  {\n    const int base = oy * " + num(p0.sh) + " * W + " + ox +
             " * " + num(p0.sw) + ";\n";
      int k = 0;
      for (int64_t ky = 0; ky < p0.kh; ++ky)
        for (int64_t kx = 0; kx < p0.kw; ++kx, ++k) {
          std::string v = "xp[base + " + num(ky * p0.dh) + " * W + " +
                          num(kx * p0.dw) + "]";
          if (isMax && k == 0)
            src += "    float m = " + v + ";\n";
          else if (isMax)
            src += "    {\n      const float v = " + v +
                   ";\n      if (v > m || v != v)\n        m = v;\n    }\n";
          else
            src += std::string(k == 0 ? "    float acc = 0.0f;\n" : "") +
                   "    acc += " + v + ";\n";
        }
      std::string res = isMax ? "m" : "acc / " + num(taps) + ".0f";
      std::string store = "yp[oy * OW + ox0 + " + T + "] = " + res + ";\n";
      src += TX == 1 ? "    " + store
                     : "    if (ox0 + " + T + " < OW)\n      " + store;
      src += "  }\n";
    }
    c.source = src + "}\n";
    nlohmann::json global = {TX == 1 ? OW
                                     : "ceildiv(" + OW + ", " + num(TX) + ")",
                             OH, planes.empty() ? "1" : planes};
    c.manifest = {{"fp_contract", false},
                  {"launches",
                   {{{"kernel", "pool"},
                     {"args", {X->name, s.outputs[0], H, W, OH, OW}},
                     {"global", global}}}}};
    if (!opts.empty())
      c.manifest["build_options"] = opts;
    out.push_back(c);
  }
  return out;
}

} // namespace ksynth::synth
