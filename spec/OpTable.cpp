// The tensor-op table (spec/OpTable.h).
#include "spec/OpTable.h"

#include "spec/OpAttrs.h"
#include "spec/ops/Params.h"

#include "support/Error.h"

namespace ksynth::spec {

namespace {

using F = TensorOpFamily;
using K = AttrKind;

struct TensorOpInfo {
  const char *name;
  int minArity, maxArity;
  F family;
  std::vector<AttrSpec> attrs;
  // Its value at one output index is written (tensorOpAtIndex).
  bool atIndex = true;
};

const std::vector<const char *> kReductions = {"mean", "sum", "none"};
const std::vector<const char *> kKlReductions = {"mean", "sum", "none",
                                                 "batchmean"};

const std::vector<TensorOpInfo> &table() {
  const AttrSpec keepdim{"keepdim", K::Bool};
  const AttrSpec dims{"dim", K::Dims}, dim1{"dim", K::Int};
  const AttrSpec reqDim{"dim", K::Int, {}, true};
  const AttrSpec stride{"stride", K::Ints}, padding{"padding", K::Ints};
  const AttrSpec dilation{"dilation", K::Ints}, groups{"groups", K::Int};
  const AttrSpec kernel{"kernel_size", K::Ints, {}, true};
  const AttrSpec ceil{"ceil_mode", K::Bool}, eps{"eps", K::Float};
  const AttrSpec reduction{"reduction", K::Choice, kReductions};
  const AttrSpec outPad{"output_padding", K::Ints};
  static const std::vector<TensorOpInfo> t = {
      {"sum", 1, 1, F::Reduce, {dims, keepdim}},
      {"mean", 1, 1, F::Reduce, {dims, keepdim}},
      {"prod", 1, 1, F::Reduce, {dim1, keepdim}},
      {"max", 1, 1, F::Reduce, {dim1, keepdim}},
      {"min", 1, 1, F::Reduce, {dim1, keepdim}},
      {"argmax", 1, 1, F::Reduce, {dim1, keepdim}},
      {"argmin", 1, 1, F::Reduce, {dim1, keepdim}},
      {"norm",
       1,
       1,
       F::Reduce,
       {{"p", K::FloatOrChoice, {"fro", "inf"}}, dims, keepdim}},
      {"logsumexp", 1, 1, F::Reduce, {{"dim", K::Dims, {}, true}, keepdim}},
      {"cumsum",
       1,
       1,
       F::Scan,
       {reqDim, {"exclusive", K::Bool}, {"reverse", K::Bool}}},
      // Ops with atIndex false work by enumeration only: their value at an
      // index is written, but the symbolic methods do not take them yet.
      {"cumprod", 1, 1, F::Scan, {reqDim}, false},
      {"softmax", 1, 1, F::Softmax, {reqDim}},
      {"log_softmax", 1, 1, F::Softmax, {reqDim}},
      {"layer_norm", 1, 3, F::RowNorm, {{"normalized_ndim", K::Int}, eps}},
      {"rms_norm", 1, 2, F::RowNorm, {{"normalized_ndim", K::Int}, eps}},
      {"group_norm",
       1,
       3,
       F::RowNorm,
       {{"num_groups", K::Int, {}, true}, eps},
       false},
      {"instance_norm", 1, 3, F::RowNorm, {eps}, false},
      {"batch_norm", 3, 5, F::BatchNorm, {eps}},
      {"transpose",
       1,
       1,
       F::Layout,
       {{"dim0", K::Int, {}, true}, {"dim1", K::Int, {}, true}}},
      {"triu", 1, 1, F::Layout, {{"diagonal", K::Int}}},
      {"tril", 1, 1, F::Layout, {{"diagonal", K::Int}}},
      {"matmul", 2, 2, F::Matmul, {}},
      {"conv1d", 2, 3, F::Conv, {stride, padding, dilation, groups}},
      {"conv2d", 2, 3, F::Conv, {stride, padding, dilation, groups}},
      {"conv3d", 2, 3, F::Conv, {stride, padding, dilation, groups}, false},
      {"conv_transpose1d",
       2,
       3,
       F::Conv,
       {stride, padding, outPad, dilation, groups}},
      {"conv_transpose2d",
       2,
       3,
       F::Conv,
       {stride, padding, outPad, dilation, groups}},
      {"conv_transpose3d",
       2,
       3,
       F::Conv,
       {stride, padding, outPad, dilation, groups},
       false},
      {"max_pool1d", 1, 1, F::Pool, {kernel, stride, padding, dilation, ceil}},
      {"max_pool2d", 1, 1, F::Pool, {kernel, stride, padding, dilation, ceil}},
      {"max_pool3d",
       1,
       1,
       F::Pool,
       {kernel, stride, padding, dilation, ceil},
       false},
      {"avg_pool1d",
       1,
       1,
       F::Pool,
       {kernel, stride, padding, ceil, {"count_include_pad", K::Bool}}},
      {"avg_pool2d",
       1,
       1,
       F::Pool,
       {kernel, stride, padding, ceil, {"count_include_pad", K::Bool}}},
      {"avg_pool3d",
       1,
       1,
       F::Pool,
       {kernel, stride, padding, ceil, {"count_include_pad", K::Bool}},
       false},
      {"mse_loss", 2, 2, F::Loss, {reduction}},
      {"huber_loss", 2, 2, F::Loss, {reduction, {"delta", K::Float}}},
      {"hinge_loss", 2, 2, F::Loss, {reduction}},
      {"cross_entropy", 2, 2, F::Loss, {reduction, {"ignore_index", K::Int}}},
      {"kl_div",
       2,
       2,
       F::Loss,
       {{"reduction", K::Choice, kKlReductions}, {"log_target", K::Bool}},
       false},
      {"triplet_margin_loss",
       3,
       3,
       F::Loss,
       {reduction,
        {"margin", K::Float},
        {"p", K::Float},
        {"eps", K::Float},
        {"swap", K::Bool}},
       false},
  };
  return t;
}

const TensorOpInfo *find(const std::string &op) {
  for (const TensorOpInfo &i : table())
    if (op == i.name)
      return &i;
  return nullptr;
}

std::string arityText(int n) {
  return std::to_string(n) + (n == 1 ? " input" : " inputs");
}

} // namespace

bool isTensorOp(const OpNode &op) {
  if (!find(op.op))
    return false;
  return !(op.op == "max" || op.op == "min") || op.inputs.size() == 1;
}

bool isTensorOpName(const std::string &op) { return find(op) != nullptr; }

TensorOpFamily tensorOpFamily(const std::string &op) {
  const TensorOpInfo *i = find(op);
  if (!i)
    KSYNTH_UNREACHABLE("tensorOpFamily: not a tensor op");
  return i->family;
}

std::vector<const char *> tensorOpNames() {
  std::vector<const char *> names;
  for (const TensorOpInfo &i : table())
    if (std::string(i.name) != "max" && std::string(i.name) != "min")
      names.push_back(i.name);
  return names;
}

bool tensorOpAtIndex(const std::string &op) {
  const TensorOpInfo *i = find(op);
  return i && i->atIndex;
}

std::vector<const char *> tensorOpsAtIndex() {
  std::vector<const char *> names;
  for (const TensorOpInfo &i : table())
    if (i.atIndex)
      names.push_back(i.name);
  return names;
}

void checkTensorOpSignature(const OpNode &op) {
  const TensorOpInfo *info = find(op.op);
  int given = static_cast<int>(op.inputs.size());
  if (given < info->minArity || given > info->maxArity) {
    if (info->minArity == info->maxArity)
      throw UserError("expects " + arityText(info->minArity) + ", got " +
                      std::to_string(given));
    throw UserError("expects " + std::to_string(info->minArity) + " to " +
                    arityText(info->maxArity) + ", got " +
                    std::to_string(given));
  }
  for (int k = 0; k < given; ++k)
    if (const auto *lit = std::get_if<double>(&op.inputs[k]))
      if (!fitsF32(*lit))
        throw UserError("literal operand " + std::to_string(k + 1) + " (" +
                        formatNumber(*lit) + ") is outside the float32 range");
  checkAttrs(op, info->attrs);
  if (op.op == "norm")
    normOrder(op); // throws for p other than 1, 2, "fro", "inf"
  if (op.op == "huber_loss" && !(attrF32(op, "delta", 1.0f) > 0))
    throw UserError("attr 'delta' must be > 0");
  if (info->family == F::RowNorm && attrF32(op, "eps", 1.0f) < 0)
    throw UserError("attr 'eps' must be >= 0");
  if (op.op == "triplet_margin_loss") {
    float p = attrF32(op, "p", 2.0f);
    if (p != 1.0f && p != 2.0f)
      throw UserError("attr 'p' must be 1 or 2 (other norms are not "
                      "supported), got " +
                      formatNumber(p));
  }
  if (info->family == F::BatchNorm && !(attrF32(op, "eps", 1.0f) > 0))
    throw UserError("attr 'eps' must be > 0 (PyTorch's batch_norm rejects "
                    "others)");
}

TensorType inferTensorOpType(const OpNode &op,
                             const std::vector<TensorType> &in) {
  TensorType r;
  r.dtype = DType::Float32;
  switch (tensorOpFamily(op.op)) {
  case F::Reduce:
    r.dims = reduceParams(op, in).outDims;
    if (op.op == "argmax" || op.op == "argmin")
      r.dtype = DType::Int64;
    return r;
  case F::Scan:
  case F::Softmax:
    r.dims = dimParams(op, in).dims;
    return r;
  case F::RowNorm:
    r.dims = rowNormParams(op, in).dims;
    return r;
  case F::BatchNorm:
    r.dims = batchNormParams(op, in).dims;
    return r;
  case F::Layout: // data movement only: the input's dtype
    r.dtype = in[0].dtype;
    r.dims = layoutOutDims(op, in);
    return r;
  case F::Matmul:
    r.dims = matmulParams(op, in).outDims;
    return r;
  case F::Conv:
    r.dims = convParams(op, in).outDims;
    return r;
  case F::Pool:
    r.dims = poolParams(op, in).outDims;
    return r;
  case F::Loss:
    r.dims = lossParams(op, in).outDims;
    return r;
  }
  KSYNTH_UNREACHABLE("bad tensor op family");
}

std::string toleranceReason(const OpNode &op) {
  // The functions PyTorch computes with its own (not correctly rounded)
  // approximations, per op.
  static const std::vector<std::pair<const char *, const char *>> uses = {
      {"sigmoid", "exp"},
      {"tanh", "tanh"},
      {"exp", "exp"},
      {"log", "log"},
      {"softplus", "exp and log1p"},
      {"elu", "expm1"},
      {"selu", "expm1"},
      {"silu", "exp"},
      {"mish", "exp, log1p and tanh"},
      {"softmax", "exp"},
      {"log_softmax", "exp and log"},
      {"cross_entropy", "exp and log"},
      {"logsumexp", "exp and log"},
      {"kl_div", "log"},
      {"sqrt", "sqrt"}, // PyTorch CPU: one ulp off IEEE for some inputs
  };
  std::string fns;
  for (const auto &[name, f] : uses)
    if (op.op == name)
      fns = f;
  if (op.op == "kl_div" && attrBool(op, "log_target", false))
    fns = "exp";
  if (op.op == "gelu")
    fns = attrStr(op, "approximate", "none") == "tanh" ? "tanh" : "erf";
  if (!fns.empty())
    return "it uses " + fns + ", which PyTorch does not round correctly";
  const std::string order = "it sums in an order PyTorch leaves unspecified";
  if (!isTensorOp(op))
    return "";
  switch (tensorOpFamily(op.op)) {
  case F::Reduce:
    if (op.op == "prod")
      return "it multiplies in an order PyTorch leaves unspecified";
    if (op.op == "sum" || op.op == "mean")
      return order;
    if (op.op == "norm")
      return normOrder(op) == "inf" ? "" : order;
    return ""; // max, min, argmax, argmin
  case F::Scan:
  case F::RowNorm:
  case F::Matmul:
  case F::Conv:
    return order;
  case F::Pool:
    return op.op.rfind("avg_", 0) == 0 ? order : "";
  case F::Loss: // triplet_margin_loss: its distances are sums
    return attrStr(op, "reduction", "mean") == "none" &&
                   op.op != "triplet_margin_loss"
               ? ""
               : order;
  case F::BatchNorm:
    return "PyTorch's kernels round its formula differently (measured: "
           "several ulps)";
  case F::Softmax: // handled above
  case F::Layout:
    return "";
  }
  return "";
}

} // namespace ksynth::spec
