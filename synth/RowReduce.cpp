// Row reduction lowerings (RowReduce.h): sum, mean, max and min over the
// last dim of a 2-d input.
#include "synth/RowReduce.h"

#include "synth/Epilogue.h"

namespace ksynth::synth {

std::vector<Candidate> rowReduceCandidates(const spec::Spec &s,
                                           std::string &why) {
  const std::string kind = s.ops.size() == 1 ? s.ops[0].op : "";
  if ((kind != "sum" && kind != "mean" && kind != "max" && kind != "min") ||
      s.inputs.size() != 1 || s.inputs[0].shape.size() != 2 ||
      s.outputs.size() != 1 || s.inputs[0].dtype != spec::DType::Float32) {
    why = "needs one sum, mean, max or min op over a 2-d float32 input";
    return {};
  }
  const spec::OpNode &op = s.ops[0];
  int dim = op.attrs.contains("dim") && op.attrs.at("dim").is_number_integer()
                ? op.attrs.at("dim").get<int>()
                : 99;
  if (dim != 1 && dim != -1) {
    why = "only a reduction over the last dim";
    return {};
  }
  if (op.attrs.value("keepdim", false)) {
    why = "keepdim is not lowered";
    return {};
  }
  const std::string x = s.inputs[0].name, y = s.outputs[0];
  const std::string M = s.inputs[0].shape[0].text(),
                    N = s.inputs[0].shape[1].text();
  const bool extreme = kind == "max" || kind == "min";
  // The fold: a left fold from +0 (sum, mean), or from the row's first
  // element with NaN propagation (max, min: PyTorch's semantics).
  // max/min as the spec's extreme fold (spec/ops/Reductions.h, PyTorch's
  // `if (!(x <= best)) best = x`, `>=` for min): the first NaN sticks and
  // among equal values (signed zeros) the first one wins, so the fold is
  // order-dependent and only index-ordered combinations are correct.
  // Written `if (!(v <= acc) && !(acc != acc)) acc = v;`: the form the
  // verifier proves bit-exact, at 16 x 16384 with --summarize-above 512
  // (a select on isnan timed out even at 3 x 37).
  auto step = [&](const std::string &a, const std::string &b) {
    if (!extreme)
      return a + " += " + b + ";";
    return "if (!(" + b + (kind == "max" ? " <= " : " >= ") + a + ") && !(" +
           a + " != " + a + "))\n      " + a + " = " + b + ";";
  };
  const std::string finish =
      kind == "mean" ? " / (float)n" : ""; // mean: the sum over n
  nlohmann::json opts = nlohmann::json::array();
  if (kind == "mean")
    opts.push_back("-cl-fp32-correctly-rounded-divide-sqrt");
  std::vector<Candidate> r;
  {
    Candidate c;
    c.kind = "row-per-item";
    c.baseline = true;
    c.params = {{"rows_per_item", 1}, {"op", kind}};
    c.source = "// ksynth synth (built-in generator): naive row " + kind +
               ", one work-item per row\n"
               "__kernel void row_reduce(__global const float *x, __global "
               "float *y, const int n) {\n"
               "  const int row = get_global_id(0);\n" +
               (extreme ? "  float acc = x[row * n];\n"
                          "  for (int j = 1; j < n; ++j) {\n"
                        : "  float acc = 0.0f;\n"
                          "  for (int j = 0; j < n; ++j) {\n") +
               "    const float v = x[row * n + j];\n    " + step("acc", "v") +
               "\n  }\n  y[row] = acc" + finish + ";\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"build_options", opts},
                  {"launches",
                   {{{"kernel", "row_reduce"},
                     {"args", {x, y, "(" + N + ")"}},
                     {"global", {"(" + M + ")"}}}}}};
    r.push_back(c);
  }
  // The strided tree reorders the fold: right for sums up to rounding,
  // wrong for max/min (signed zeros, first NaN), which get the naive
  // lowering only.
  for (int L : {64, 128, 256}) {
    if (extreme)
      break;
    Candidate c;
    c.kind = "group-per-row";
    c.params = {{"work_group", L}, {"reduction", "local-tree"}, {"op", kind}};
    std::string Ls = std::to_string(L);
    c.source = "// ksynth synth (built-in generator): row " + kind +
               ", one work-group of " + Ls +
               " per row,\n// strided partial sums, then a __local tree\n"
               "#define L " +
               Ls +
               "\n__kernel void row_reduce(__global const float *x, __global "
               "float *y, const int n) {\n"
               "  __local float red[L];\n"
               "  const int row = get_group_id(0), lid = get_local_id(0);\n"
               "  float acc, s;\n" +
               localTreeSum("x[row * n + j]", "s") +
               "  if (lid == 0)\n"
               "    y[row] = s" +
               finish + ";\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"build_options", opts},
                  {"launches",
                   {{{"kernel", "row_reduce"},
                     {"args", {x, y, "(" + N + ")"}},
                     {"global", {Ls + "*(" + M + ")"}},
                     {"local", {L}}}}}};
    r.push_back(c);
  }
  return r;
}

} // namespace ksynth::synth
