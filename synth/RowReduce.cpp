// Row-sum lowerings (RowReduce.h).
#include "synth/RowReduce.h"

namespace ksynth::synth {

std::vector<Candidate> rowReduceCandidates(const spec::Spec &s,
                                           std::string &why) {
  if (s.ops.size() != 1 || s.ops[0].op != "sum" || s.inputs.size() != 1 ||
      s.inputs[0].shape.size() != 2 || s.outputs.size() != 1 ||
      s.inputs[0].dtype != spec::DType::Float32) {
    why = "needs one sum op over a 2-d float32 input";
    return {};
  }
  const spec::OpNode &op = s.ops[0];
  int dim = op.attrs.contains("dim") && op.attrs.at("dim").is_number_integer()
                ? op.attrs.at("dim").get<int>()
                : 99;
  if (dim != 1 && dim != -1) {
    why = "only a sum over the last dim";
    return {};
  }
  if (op.attrs.value("keepdim", false)) {
    why = "keepdim is not lowered";
    return {};
  }
  const std::string x = s.inputs[0].name, y = s.outputs[0];
  const std::string M = s.inputs[0].shape[0].text(),
                    N = s.inputs[0].shape[1].text();
  std::vector<Candidate> r;
  {
    Candidate c;
    c.kind = "row-per-item";
    c.baseline = true;
    c.params = {{"rows_per_item", 1}};
    c.source = "// ksynth synth (built-in generator): naive row sum, one "
               "work-item per row\n"
               "__kernel void row_sum(__global const float *x, __global float "
               "*y, const int n) {\n"
               "  const int row = get_global_id(0);\n"
               "  float acc = 0.0f;\n"
               "  for (int j = 0; j < n; ++j)\n"
               "    acc += x[row * n + j];\n"
               "  y[row] = acc;\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"launches",
                   {{{"kernel", "row_sum"},
                     {"args", {x, y, "(" + N + ")"}},
                     {"global", {"(" + M + ")"}}}}}};
    r.push_back(c);
  }
  for (int L : {64, 128}) {
    Candidate c;
    c.kind = "group-per-row";
    c.params = {{"work_group", L}, {"reduction", "local-tree"}};
    std::string Ls = std::to_string(L);
    c.source =
        "// ksynth synth (built-in generator): one work-group of " + Ls +
        " per row,\n// strided partial sums, then a __local tree reduction\n"
        "__kernel void row_sum(__global const float *x, __global float *y, "
        "const int n) {\n"
        "  __local float part[" +
        Ls +
        "];\n"
        "  const int row = get_group_id(0), lid = get_local_id(0);\n"
        "  float acc = 0.0f;\n"
        "  for (int j = lid; j < n; j += " +
        Ls +
        ")\n"
        "    acc += x[row * n + j];\n"
        "  part[lid] = acc;\n"
        "  barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  for (int s = " +
        std::to_string(L / 2) +
        "; s > 0; s >>= 1) {\n"
        "    if (lid < s)\n"
        "      part[lid] += part[lid + s];\n"
        "    barrier(CLK_LOCAL_MEM_FENCE);\n"
        "  }\n"
        "  if (lid == 0)\n"
        "    y[row] = part[0];\n}\n";
    c.manifest = {{"fp_contract", false},
                  {"launches",
                   {{{"kernel", "row_sum"},
                     {"args", {x, y, "(" + N + ")"}},
                     {"global", {Ls + "*(" + M + ")"}},
                     {"local", {L}}}}}};
    r.push_back(c);
  }
  return r;
}

} // namespace ksynth::synth
