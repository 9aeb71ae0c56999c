// Matmul (2-d, batched, with a fused epilogue), softmax, log_softmax,
// layer_norm, rms_norm and matmul + softmax lowerings (TensorOps.h).
#include "synth/TensorOps.h"

#include "synth/Elementwise.h"
#include "synth/Epilogue.h"

#include <optional>

namespace ksynth::synth {

namespace {

std::string indentBy(const std::string &code, int n) {
  std::string pad(n, ' '), r;
  for (size_t at = 0; at < code.size();) {
    size_t nl = code.find('\n', at);
    std::string line = code.substr(at, nl - at);
    r += (line.empty() ? "" : pad + line) + "\n";
    at = nl == std::string::npos ? code.size() : nl + 1;
  }
  return r;
}

// One op over 2-d float32 inputs with `arity` tensor operands, or false.
bool singleOp2d(const spec::Spec &s, const char *op, size_t arity,
                std::string &why) {
  if (s.ops.size() != 1 || s.ops[0].op != op || s.outputs.size() != 1 ||
      s.inputs.size() != arity || s.ops[0].inputs.size() != arity) {
    why = std::string("needs one ") + op + " op over " + std::to_string(arity) +
          " input(s)";
    return false;
  }
  for (size_t i = 0; i < arity; ++i) {
    const std::string *n = std::get_if<std::string>(&s.ops[0].inputs[i]);
    const spec::TensorDecl *d = n ? s.findInput(*n) : nullptr;
    if (!d || d->shape.size() != 2 || d->dtype != spec::DType::Float32) {
      why = std::string(op) + " operands must be 2-d float32 inputs";
      return false;
    }
  }
  return true;
}

std::string dim(const spec::TensorDecl &d, size_t i) {
  return "(" + d.shape[i].text() + ")";
}

// A row softmax kernel, one work-item per row (max, sum of exp, then each
// output `outExpr` of r[j], m and s): the naive softmax and the second
// launch of matmul + softmax.
std::string rowSoftmaxKernel(const std::string &outExpr) {
  return "__kernel void softmax(__global const float *x, __global float *y,\n"
         "                      const int n) {\n"
         "  const int row = get_global_id(0);\n"
         "  __global const float *r = x + row * n;\n"
         "  float m = r[0];\n"
         "  for (int j = 1; j < n; ++j)\n"
         "    m = r[j] > m ? r[j] : m;\n"
         "  float s = 0.0f;\n"
         "  for (int j = 0; j < n; ++j)\n"
         "    s += exp(r[j] - m);\n"
         "  for (int j = 0; j < n; ++j)\n"
         "    y[row * n + j] = " +
         outExpr + ";\n}\n";
}

} // namespace

namespace {

// The matmul of a spec whose first op is a matmul of two float32 inputs,
// both 2-d or both 3-d with the same batch: its operands' declarations.
struct MatmulOperands {
  const spec::TensorDecl *A = nullptr, *B = nullptr;
  bool batched = false;
};

std::optional<MatmulOperands>
matmulOperands(const spec::Spec &s, const spec::OpNode &op, std::string &why) {
  MatmulOperands r;
  const std::string *a = std::get_if<std::string>(&op.inputs[0]);
  const std::string *b = std::get_if<std::string>(&op.inputs[1]);
  r.A = a ? s.findInput(*a) : nullptr;
  r.B = b ? s.findInput(*b) : nullptr;
  if (!r.A || !r.B || r.A->dtype != spec::DType::Float32 ||
      r.B->dtype != spec::DType::Float32) {
    why = "matmul operands must be float32 inputs";
    return std::nullopt;
  }
  size_t ra = r.A->shape.size(), rb = r.B->shape.size();
  if (ra == 3 && rb == 3) {
    for (const spec::ShapeBinding &bd : s.shapes) {
      auto t = spec::inferTypes(s, bd);
      if (t.at(r.A->name).dims[0] != t.at(r.B->name).dims[0]) {
        why = "batched matmul operands with different batches";
        return std::nullopt;
      }
    }
    r.batched = true;
  } else if (ra != 2 || rb != 2) {
    why = "matmul operands must be both 2-d or both 3-d";
    return std::nullopt;
  }
  return r;
}

} // namespace

std::vector<Candidate> matmulCandidates(const spec::Spec &s, std::string &why) {
  std::vector<const spec::OpNode *> order =
      s.ops.empty() ? std::vector<const spec::OpNode *>{} : spec::topoOrder(s);
  if (order.empty() || order[0]->op != "matmul" ||
      order[0]->inputs.size() != 2) {
    why = "needs a matmul as the first op";
    return {};
  }
  std::optional<MatmulOperands> mo = matmulOperands(s, *order[0], why);
  if (!mo)
    return {};
  std::optional<Epilogue> ep = planEpilogue(s, why);
  if (!ep)
    return {};
  const spec::TensorDecl &A = *mo->A, &B = *mo->B;
  const bool bat = mo->batched;
  const size_t o = bat ? 1 : 0;
  const std::string M = dim(A, o), K = dim(A, o + 1), N = dim(B, o + 1);
  nlohmann::json args = {A.name, B.name, ep->output, M, K, N};
  for (const auto &a : ep->args())
    args.push_back(a);
  nlohmann::json opts = nlohmann::json::array();
  if (ep->needsDivide)
    opts.push_back("-cl-fp32-correctly-rounded-divide-sqrt");
  const std::string what =
      std::string(bat ? "batched matmul" : "matmul") +
      (ep->empty() ? "" : " + " + ep->describe() + " (fused epilogue)");
  const std::vector<std::string> coords =
      bat ? std::vector<std::string>{"p", "i", "j"}
          : std::vector<std::string>{"i", "j"};
  const std::string sig =
      "__kernel void mm(__global const float *A, __global const float *B,\n"
      "                 __global float *C, const int M, const int K,\n"
      "                 const int N" +
      ep->params() + ") {\n";
  // The batch's matrices (get_global_id(2) of a 3-d range).
  const std::string batch =
      bat ? "  const int p = get_global_id(2);\n"
            "  A += p * M * K;\n  B += p * K * N;\n  C += p * M * N;\n"
          : "";
  auto manifest = [&](nlohmann::json global, nlohmann::json local) {
    nlohmann::json l = {{"kernel", "mm"}, {"args", args}, {"global", global}};
    if (!local.is_null())
      l["local"] = local;
    nlohmann::json m = {{"fp_contract", false}, {"launches", {l}}};
    if (!opts.empty())
      m["build_options"] = opts;
    return m;
  };
  const std::string P = bat ? dim(A, 0) : "";
  std::vector<Candidate> r;
  {
    Candidate c;
    c.kind = "matmul-naive";
    c.baseline = true;
    c.params = {{"per_item", "one output element"}, {"batched", bat}};
    if (!ep->empty())
      c.params["epilogue"] = ep->describe();
    c.source = "// ksynth synth (built-in generator): naive " + what +
               ", one work-item per output\n" + sig + batch +
               "  const int j = get_global_id(0), i = get_global_id(1);\n"
               "  if (i >= M || j >= N)\n"
               "    return;\n"
               "  float acc = 0.0f;\n"
               "  for (int k = 0; k < K; ++k)\n"
               "    acc += A[i * K + k] * B[k * N + j];\n" +
               ep->code(coords) + "  C[i * N + j] = acc;\n}\n";
    nlohmann::json g = {N, M};
    if (bat)
      g.push_back(P);
    c.manifest = manifest(g, nullptr);
    r.push_back(c);
  }
  for (int T : {8, 16}) {
    std::string Ts = std::to_string(T);
    Candidate c;
    c.kind = "matmul-tiled";
    c.params = {{"tile", T},
                {"local", "__local tiles, zero-padded edges"},
                {"batched", bat}};
    if (!ep->empty())
      c.params["epilogue"] = ep->describe();
    c.source =
        "// ksynth synth (built-in generator): " + what + " with __local " +
        Ts + "x" + Ts + " tiles\n#define T " + Ts + "\n" + sig + batch +
        "  __local float As[T][T], Bs[T][T];\n"
        "  const int tx = get_local_id(0), ty = get_local_id(1);\n"
        "  const int j = get_global_id(0), i = get_global_id(1);\n"
        "  float acc = 0.0f;\n"
        "  for (int k0 = 0; k0 < K; k0 += T) {\n"
        "    As[ty][tx] = (i < M && k0 + tx < K) ? A[i * K + k0 + tx] : 0.0f;\n"
        "    Bs[ty][tx] = (k0 + ty < K && j < N) ? B[(k0 + ty) * N + j] : "
        "0.0f;\n"
        "    barrier(CLK_LOCAL_MEM_FENCE);\n"
        "    for (int k = 0; k < T; ++k)\n"
        "      acc += As[ty][k] * Bs[k][tx];\n"
        "    barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  }\n"
        "  if (i < M && j < N) {\n" +
        indentBy(ep->code(coords) + "C[i * N + j] = acc;\n", 4) + "  }\n}\n";
    nlohmann::json g = {"roundup(" + N + ", " + Ts + ")",
                        "roundup(" + M + ", " + Ts + ")"};
    nlohmann::json l = {T, T};
    if (bat) {
      g.push_back(P);
      l.push_back(1);
    }
    c.manifest = manifest(g, l);
    r.push_back(c);
  }
  return r;
}

std::vector<Candidate> softmaxCandidates(const spec::Spec &s,
                                         std::string &why) {
  const std::string kind = s.ops.size() == 1 && s.ops[0].op == "log_softmax"
                               ? "log_softmax"
                               : "softmax";
  if (!singleOp2d(s, kind.c_str(), 1, why))
    return {};
  // The line's output from the row max m and the sum s of exp(x - m), as
  // spec/ops/Normalization.h: e / s, or (x - m) - log(s).
  const std::string outExpr =
      kind == "softmax" ? "exp(r[j] - m) / s" : "(r[j] - m) - log(s)";
  const spec::OpNode &op = s.ops[0];
  int d = op.attrs.contains("dim") && op.attrs.at("dim").is_number_integer()
              ? op.attrs.at("dim").get<int>()
              : 99;
  if (d != 1 && d != -1) {
    why = "only a softmax over the last dim";
    return {};
  }
  const spec::TensorDecl &X = s.inputs[0];
  const std::string M = dim(X, 0), N = dim(X, 1);
  nlohmann::json args = {X.name, s.outputs[0], N};
  std::vector<Candidate> r;
  {
    Candidate c;
    c.kind = kind + "-row-per-item";
    c.baseline = true;
    c.params = {{"passes", 2}};
    c.source = "// ksynth synth (built-in generator): " + kind +
               ", one work-item per "
               "row,\n// max, then sum of exp, then the output\n" +
               rowSoftmaxKernel(outExpr);
    c.manifest = {{"fp_contract", false},
                  {"launches",
                   {{{"kernel", "softmax"}, {"args", args}, {"global", {M}}}}}};
    r.push_back(c);
  }
  for (int L : {32, 64}) {
    std::string Ls = std::to_string(L);
    Candidate c;
    c.kind = kind + "-group-per-row";
    c.params = {{"work_group", L}, {"reduction", "local-tree"}};
    c.source =
        "// ksynth synth (built-in generator): " + kind +
        ", one work-group of " + Ls +
        " per row,\n// __local tree reductions for the max and the sum\n"
        "#define L " +
        Ls +
        "\n"
        "__kernel void softmax(__global const float *x, __global float *y,\n"
        "                      const int n) {\n"
        "  __local float red[L];\n"
        "  const int row = get_group_id(0), lid = get_local_id(0);\n"
        "  __global const float *r = x + row * n;\n"
        "  float m = r[0];\n"
        "  for (int j = lid; j < n; j += L)\n"
        "    m = r[j] > m ? r[j] : m;\n"
        "  red[lid] = m;\n"
        "  barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  for (int s = L / 2; s > 0; s >>= 1) {\n"
        "    if (lid < s)\n"
        "      red[lid] = red[lid + s] > red[lid] ? red[lid + s] : red[lid];\n"
        "    barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  }\n"
        "  m = red[0];\n"
        "  barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  float acc;\n" +
        localTreeSum("exp(r[j] - m)", "const float s") +
        "  for (int j = lid; j < n; j += L)\n"
        "    y[row * n + j] = " +
        outExpr + ";\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"launches",
                   {{{"kernel", "softmax"},
                     {"args", args},
                     {"global", {Ls + "*" + M}},
                     {"local", {L}}}}}};
    r.push_back(c);
  }
  return r;
}

std::vector<Candidate> layerNormCandidates(const spec::Spec &s,
                                           std::string &why) {
  if (!singleOp2d(s, "layer_norm", 1, why))
    return {};
  const spec::OpNode &op = s.ops[0];
  if (op.attrs.value("normalized_ndim", 1) != 1) {
    why = "only layer_norm over the last dim";
    return {};
  }
  double eps = op.attrs.contains("eps") && op.attrs.at("eps").is_number()
                   ? op.attrs.at("eps").get<double>()
                   : 1e-5;
  const std::string E = floatLiteral(eps);
  const spec::TensorDecl &X = s.inputs[0];
  const std::string M = dim(X, 0), N = dim(X, 1);
  nlohmann::json args = {X.name, s.outputs[0], N};
  nlohmann::json opts = {"-cl-fp32-correctly-rounded-divide-sqrt"};
  std::vector<Candidate> r;
  {
    Candidate c;
    c.kind = "layer-norm-row-per-item";
    c.baseline = true;
    c.params = {{"passes", 3}};
    c.source =
        "// ksynth synth (built-in generator): layer_norm, one work-item per "
        "row:\n// mean, then the variance about it, then the output\n"
        "__kernel void layer_norm(__global const float *x, __global float "
        "*y,\n                         const int n) {\n"
        "  const int row = get_global_id(0);\n"
        "  __global const float *r = x + row * n;\n"
        "  float sum = 0.0f;\n"
        "  for (int j = 0; j < n; ++j)\n"
        "    sum += r[j];\n"
        "  const float mean = sum / (float)n;\n"
        "  float sq = 0.0f;\n"
        "  for (int j = 0; j < n; ++j)\n"
        "    sq += (r[j] - mean) * (r[j] - mean);\n"
        "  const float rstd = 1.0f / sqrt(sq / (float)n + " +
        E +
        ");\n"
        "  for (int j = 0; j < n; ++j)\n"
        "    y[row * n + j] = (r[j] - mean) * rstd;\n}\n";
    c.manifest = {
        {"fp_contract", false},
        {"build_options", opts},
        {"launches",
         {{{"kernel", "layer_norm"}, {"args", args}, {"global", {M}}}}}};
    r.push_back(c);
  }
  for (int L : {32, 64}) {
    std::string Ls = std::to_string(L);
    Candidate c;
    c.kind = "layer-norm-group-per-row";
    c.params = {{"work_group", L}, {"reduction", "local-tree"}};
    c.source =
        "// ksynth synth (built-in generator): layer_norm, one work-group of " +
        Ls +
        " per row,\n// __local tree reductions for the sum and the "
        "squared deviations\n"
        "#define L " +
        Ls +
        "\n"
        "__kernel void layer_norm(__global const float *x, __global float "
        "*y,\n                         const int n) {\n"
        "  __local float red[L];\n"
        "  const int row = get_group_id(0), lid = get_local_id(0);\n"
        "  __global const float *r = x + row * n;\n"
        "  float acc, sum, sq;\n" +
        localTreeSum("r[j]", "sum") + "  const float mean = sum / (float)n;\n" +
        localTreeSum("(r[j] - mean) * (r[j] - mean)", "sq") +
        "  const float rstd = 1.0f / sqrt(sq / (float)n + " + E +
        ");\n"
        "  for (int j = lid; j < n; j += L)\n"
        "    y[row * n + j] = (r[j] - mean) * rstd;\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"build_options", opts},
                  {"launches",
                   {{{"kernel", "layer_norm"},
                     {"args", args},
                     {"global", {Ls + "*" + M}},
                     {"local", {L}}}}}};
    r.push_back(c);
  }
  return r;
}

std::vector<Candidate> rmsNormCandidates(const spec::Spec &s,
                                         std::string &why) {
  if (s.ops.size() != 1 || s.ops[0].op != "rms_norm" || s.outputs.size() != 1 ||
      s.ops[0].inputs.size() > 2) {
    why = "needs one rms_norm op";
    return {};
  }
  const spec::OpNode &op = s.ops[0];
  const std::string *xn = std::get_if<std::string>(&op.inputs[0]);
  const spec::TensorDecl *X = xn ? s.findInput(*xn) : nullptr;
  const spec::TensorDecl *W = nullptr;
  if (op.inputs.size() == 2) {
    const std::string *wn = std::get_if<std::string>(&op.inputs[1]);
    W = wn ? s.findInput(*wn) : nullptr;
    if (!W || W->shape.size() != 1 || W->dtype != spec::DType::Float32) {
      why = "rms_norm weight must be a 1-d float32 input";
      return {};
    }
  }
  if (!X || X->shape.size() != 2 || X->dtype != spec::DType::Float32 ||
      op.attrs.value("normalized_ndim", 1) != 1) {
    why = "only rms_norm over the last dim of a 2-d float32 input";
    return {};
  }
  double eps = op.attrs.contains("eps") && op.attrs.at("eps").is_number()
                   ? op.attrs.at("eps").get<double>()
                   : 1e-5;
  const std::string E = floatLiteral(eps);
  const std::string M = dim(*X, 0), N = dim(*X, 1);
  nlohmann::json args = {X->name, W ? W->name : X->name, s.outputs[0], N};
  nlohmann::json opts = {"-cl-fp32-correctly-rounded-divide-sqrt"};
  // spec/ops/Normalization.h: rstd = 1 / sqrt(sum(x * x) / n + eps), y =
  // x * rstd, then * weight.
  const std::string outExpr = std::string("r[j] * rstd") + (W ? " * w[j]" : "");
  const std::string sig =
      "__kernel void rms_norm(__global const float *x, __global const float "
      "*w,\n                       __global float *y, const int n) {\n";
  std::vector<Candidate> r;
  {
    Candidate c;
    c.kind = "rms-norm-row-per-item";
    c.baseline = true;
    c.params = {{"passes", 2}};
    c.source = "// ksynth synth (built-in generator): rms_norm, one work-item "
               "per row\n" +
               sig +
               "  const int row = get_global_id(0);\n"
               "  __global const float *r = x + row * n;\n"
               "  float sq = 0.0f;\n"
               "  for (int j = 0; j < n; ++j)\n"
               "    sq += r[j] * r[j];\n"
               "  const float rstd = 1.0f / sqrt(sq / (float)n + " +
               E +
               ");\n"
               "  for (int j = 0; j < n; ++j)\n"
               "    y[row * n + j] = " +
               outExpr + ";\n}\n";
    c.manifest = {
        {"fp_contract", false},
        {"build_options", opts},
        {"launches",
         {{{"kernel", "rms_norm"}, {"args", args}, {"global", {M}}}}}};
    r.push_back(c);
  }
  for (int L : {64, 256}) {
    std::string Ls = std::to_string(L);
    Candidate c;
    c.kind = "rms-norm-group-per-row";
    c.params = {{"work_group", L}, {"reduction", "local-tree"}};
    c.source = "// ksynth synth (built-in generator): rms_norm, one "
               "work-group of " +
               Ls + " per row,\n// a __local tree sum of squares\n#define L " +
               Ls + "\n" + sig +
               "  __local float red[L];\n"
               "  const int row = get_group_id(0), lid = get_local_id(0);\n"
               "  __global const float *r = x + row * n;\n"
               "  float acc, sq;\n" +
               localTreeSum("r[j] * r[j]", "sq") +
               "  const float rstd = 1.0f / sqrt(sq / (float)n + " + E +
               ");\n"
               "  for (int j = lid; j < n; j += L)\n"
               "    y[row * n + j] = " +
               outExpr + ";\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"build_options", opts},
                  {"launches",
                   {{{"kernel", "rms_norm"},
                     {"args", args},
                     {"global", {Ls + "*" + M}},
                     {"local", {L}}}}}};
    r.push_back(c);
  }
  return r;
}

std::vector<Candidate> matmulSoftmaxCandidates(const spec::Spec &s,
                                               std::string &why) {
  std::vector<const spec::OpNode *> order =
      s.ops.size() == 2 ? spec::topoOrder(s)
                        : std::vector<const spec::OpNode *>{};
  if (order.size() != 2 || order[0]->op != "matmul" ||
      order[1]->op != "softmax" || order[1]->inputs.size() != 1 ||
      s.outputs.size() != 1 || s.outputs[0] != order[1]->output ||
      std::get_if<std::string>(&order[1]->inputs[0]) == nullptr ||
      std::get<std::string>(order[1]->inputs[0]) != order[0]->output) {
    why = "needs a matmul followed by a softmax of its output";
    return {};
  }
  std::optional<MatmulOperands> mo = matmulOperands(s, *order[0], why);
  if (!mo)
    return {};
  if (mo->batched) {
    why = "a batched matmul + softmax is not lowered";
    return {};
  }
  int d = order[1]->attrs.contains("dim") &&
                  order[1]->attrs.at("dim").is_number_integer()
              ? order[1]->attrs.at("dim").get<int>()
              : 99;
  if (d != 1 && d != -1) {
    why = "only a softmax over the last dim";
    return {};
  }
  const spec::TensorDecl &A = *mo->A, &B = *mo->B;
  const std::string M = dim(A, 0), K = dim(A, 1), N = dim(B, 1);
  const std::string y = s.outputs[0];
  // The spec's softmax (as softmaxCandidates): max from the first element,
  // the sum of exp(x - max) from +0, then exp(x - max) / sum.
  const std::string dot = "    float acc = 0.0f;\n"
                          "    for (int k = 0; k < K; ++k)\n"
                          "      acc += A[row * K + k] * B[k * n + j];\n"
                          "    r[j] = acc;\n";
  std::vector<Candidate> out;
  {
    Candidate c;
    c.kind = "matmul-softmax-two-launches";
    c.baseline = true;
    c.params = {{"launches", 2}};
    const std::string tmp = "tmp_" + order[0]->output;
    c.source =
        "// ksynth synth (built-in generator): naive matmul + softmax, one "
        "kernel per op\n"
        "__kernel void mm(__global const float *A, __global const float *B,\n"
        "                 __global float *C, const int M, const int K,\n"
        "                 const int N) {\n"
        "  const int j = get_global_id(0), i = get_global_id(1);\n"
        "  if (i >= M || j >= N)\n"
        "    return;\n"
        "  float acc = 0.0f;\n"
        "  for (int k = 0; k < K; ++k)\n"
        "    acc += A[i * K + k] * B[k * N + j];\n"
        "  C[i * N + j] = acc;\n}\n\n" +
        rowSoftmaxKernel("exp(r[j] - m) / s");
    c.manifest = {
        {"fp_contract", false},
        {"temporaries", {{tmp, {{"dtype", "float32"}, {"size", M + "*" + N}}}}},
        {"launches",
         {{{"kernel", "mm"},
           {"args", {A.name, B.name, tmp, M, K, N}},
           {"global", {N, M}}},
          {{"kernel", "softmax"}, {"args", {tmp, y, N}}, {"global", {M}}}}}};
    out.push_back(c);
  }
  const std::string sig =
      "__kernel void mm_softmax(__global const float *A,\n"
      "                         __global const float *B, __global float *y,\n"
      "                         const int K, const int n) {\n";
  {
    Candidate c;
    c.kind = "matmul-softmax-row-per-item";
    c.params = {{"fused", true}, {"per_item", "one row"}};
    c.source = "// ksynth synth (built-in generator): matmul + softmax fused, "
               "one work-item per\n// row: the row's products into y, then "
               "the softmax in place\n" +
               sig +
               "  const int row = get_global_id(0);\n"
               "  __global float *r = y + row * n;\n"
               "  for (int j = 0; j < n; ++j) {\n" +
               dot +
               "  }\n"
               "  float m = r[0];\n"
               "  for (int j = 1; j < n; ++j)\n"
               "    m = r[j] > m ? r[j] : m;\n"
               "  float s = 0.0f;\n"
               "  for (int j = 0; j < n; ++j)\n"
               "    s += exp(r[j] - m);\n"
               "  for (int j = 0; j < n; ++j)\n"
               "    r[j] = exp(r[j] - m) / s;\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"launches",
                   {{{"kernel", "mm_softmax"},
                     {"args", {A.name, B.name, y, K, N}},
                     {"global", {M}}}}}};
    out.push_back(c);
  }
  for (int L : {32, 64}) {
    std::string Ls = std::to_string(L);
    Candidate c;
    c.kind = "matmul-softmax-group-per-row";
    c.params = {
        {"fused", true}, {"work_group", L}, {"reduction", "local-tree"}};
    // Each work-item computes and later reads back only its own columns
    // (j = lid, lid + L, ...): no global memory is shared between them. The
    // max starts from -INFINITY (a work-item may have no column); over
    // finite rows it is the spec's max.
    c.source =
        "// ksynth synth (built-in generator): matmul + softmax fused, one "
        "work-group of " +
        Ls +
        " per row:\n// strided columns of the row into y, __local tree "
        "reductions for the max and the sum\n#define L " +
        Ls + "\n" + sig +
        "  __local float red[L];\n"
        "  const int row = get_group_id(0), lid = get_local_id(0);\n"
        "  __global float *r = y + row * n;\n"
        "  for (int j = lid; j < n; j += L) {\n" +
        dot +
        "  }\n"
        "  float m = -INFINITY;\n"
        "  for (int j = lid; j < n; j += L)\n"
        "    m = r[j] > m ? r[j] : m;\n"
        "  red[lid] = m;\n"
        "  barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  for (int t = L / 2; t > 0; t >>= 1) {\n"
        "    if (lid < t)\n"
        "      red[lid] = red[lid + t] > red[lid] ? red[lid + t] : red[lid];\n"
        "    barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  }\n"
        "  m = red[0];\n"
        "  barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  float acc;\n" +
        localTreeSum("exp(r[j] - m)", "const float s") +
        "  for (int j = lid; j < n; j += L)\n"
        "    r[j] = exp(r[j] - m) / s;\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"launches",
                   {{{"kernel", "mm_softmax"},
                     {"args", {A.name, B.name, y, K, N}},
                     {"global", {Ls + "*" + M}},
                     {"local", {L}}}}}};
    out.push_back(c);
  }
  return out;
}

} // namespace ksynth::synth
