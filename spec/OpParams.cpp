// Parameters of the reductions, scans, transpose, matmul, normalisations
// and losses (spec/ops/Params.h). Convolution and pooling: ConvParams.cpp.
#include "spec/OpAttrs.h"
#include "spec/ops/Params.h"

#include "support/Error.h"

#include <algorithm>
#include <cfloat>

namespace ksynth::spec {

namespace {

std::string dimsText(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

void expectType(const std::vector<TensorType> &in, size_t k, DType want) {
  if (in[k].dtype != want)
    throw UserError("operand " + std::to_string(k + 1) + " is " +
                    toString(in[k].dtype) + ", expected " + toString(want));
}

void expectFloats(const std::vector<TensorType> &in, size_t from = 0) {
  for (size_t k = from; k < in.size(); ++k)
    expectType(in, k, DType::Float32);
}

// Offsets of the elements of `dims` (with `strides`) restricted to the dims
// where `mask` is true, in row-major order over those dims.
std::vector<int64_t> offsets(const std::vector<int64_t> &dims,
                             const std::vector<int64_t> &strides,
                             const std::vector<bool> &mask) {
  std::vector<int64_t> out{0};
  for (size_t i = 0; i < dims.size(); ++i) {
    if (!mask[i])
      continue;
    std::vector<int64_t> next;
    next.reserve(out.size() * dims[i]);
    for (int64_t base : out)
      for (int64_t c = 0; c < dims[i]; ++c)
        next.push_back(base + c * strides[i]);
    out = std::move(next);
  }
  return out;
}

// Broadcast two batch shapes (PyTorch rules).
std::vector<int64_t> broadcastDims(const std::vector<int64_t> &a,
                                   const std::vector<int64_t> &b) {
  std::vector<int64_t> out(std::max(a.size(), b.size()), 1);
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1)
      throw UserError("batch dims " + dimsText(a) + " and " + dimsText(b) +
                      " do not broadcast");
    out[out.size() - 1 - i] = x == 1 ? y : x;
  }
  return out;
}

// A per-feature operand: exactly `want`, or 0-d (one value for all).
bool perFeature(const std::vector<TensorType> &in, size_t k,
                const std::vector<int64_t> &want, const char *what) {
  if (in[k].dims.empty())
    return false;
  if (in[k].dims != want)
    throw UserError(std::string(what) + " (operand " + std::to_string(k + 1) +
                    ") is " + dimsText(in[k].dims) + ", expected " +
                    dimsText(want) + " or a scalar");
  return true;
}

} // namespace

std::vector<int64_t> stridesOf(const std::vector<int64_t> &dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;)
    s[i - 1] = s[i] * dims[i];
  return s;
}

int64_t product(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

ReduceParams reduceParams(const OpNode &op, const std::vector<TensorType> &in) {
  expectFloats(in);
  ReduceParams p;
  p.inDims = in[0].dims;
  size_t rank = p.inDims.size();
  auto dims = attrDims(op, "dim", rank);
  bool keep = attrBool(op, "keepdim", false);
  p.reduced.assign(rank, !dims.has_value());
  if (dims && rank > 0)
    for (int64_t d : *dims)
      p.reduced[d] = true;
  for (size_t i = 0; i < rank; ++i) {
    if (!p.reduced[i])
      p.outDims.push_back(p.inDims[i]);
    else if (keep)
      p.outDims.push_back(1);
  }
  std::vector<int64_t> strides = stridesOf(p.inDims);
  std::vector<bool> kept(rank);
  for (size_t i = 0; i < rank; ++i)
    kept[i] = !p.reduced[i];
  p.outerOffsets = offsets(p.inDims, strides, kept);
  p.innerOffsets = offsets(p.inDims, strides, p.reduced);
  return p;
}

std::string normOrder(const OpNode &op) {
  if (!op.attrs.is_object() || !op.attrs.contains("p"))
    return "2";
  const nlohmann::json &v = op.attrs.at("p");
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s == "fro" || s == "inf")
      return s == "fro" ? "2" : s;
  } else if (v.is_number() && (v.get<double>() == 1 || v.get<double>() == 2)) {
    return v.get<double>() == 1 ? "1" : "2";
  }
  throw UserError("attr 'p' must be 1, 2, \"fro\" or \"inf\", got " + v.dump());
}

DimParams dimParams(const OpNode &op, const std::vector<TensorType> &in) {
  expectFloats(in);
  DimParams p;
  p.dims = in[0].dims;
  if (!op.attrs.contains("dim"))
    throw UserError("needs attr 'dim'");
  p.dim = wrapDim(attrInt(op, "dim", 0), p.dims.size());
  for (size_t i = 0; i < p.dims.size(); ++i) {
    int64_t d = static_cast<int64_t>(i);
    (d < p.dim ? p.outer : d == p.dim ? p.len : p.inner) *= p.dims[i];
  }
  return p;
}

TransposeParams transposeParams(const OpNode &op,
                                const std::vector<TensorType> &in) {
  TransposeParams p;
  p.inDims = p.outDims = in[0].dims;
  size_t rank = p.inDims.size();
  p.dim0 = wrapDim(attrInt(op, "dim0", 0), rank);
  p.dim1 = wrapDim(attrInt(op, "dim1", 0), rank);
  if (rank > 0)
    std::swap(p.outDims[p.dim0], p.outDims[p.dim1]);
  return p;
}

TriParams triParams(const OpNode &op, const std::vector<TensorType> &in) {
  expectFloats(in);
  TriParams p;
  p.dims = in[0].dims;
  if (p.dims.size() < 2)
    throw UserError("input must be at least 2-d, got " + dimsText(p.dims));
  p.rows = p.dims[p.dims.size() - 2];
  p.cols = p.dims.back();
  p.diagonal = std::clamp<int64_t>(attrInt(op, "diagonal", 0), -p.rows, p.cols);
  p.upper = op.op == "triu";
  return p;
}

std::vector<int64_t> layoutOutDims(const OpNode &op,
                                   const std::vector<TensorType> &in) {
  if (op.op == "triu" || op.op == "tril")
    return triParams(op, in).dims;
  return transposeParams(op, in).outDims;
}

MatmulParams matmulParams(const OpNode &, const std::vector<TensorType> &in) {
  expectFloats(in);
  const std::vector<int64_t> &a = in[0].dims, &b = in[1].dims;
  if (a.empty() || b.empty())
    throw UserError("both operands must be at least 1-d, got " + dimsText(a) +
                    " and " + dimsText(b));
  MatmulParams p;
  int64_t ka = a.back();
  if (a.size() >= 2) {
    p.n = a[a.size() - 2];
    p.aBatch.assign(a.begin(), a.end() - 2);
  }
  int64_t kb = b.size() >= 2 ? b[b.size() - 2] : b[0];
  if (b.size() >= 2) {
    p.m = b.back();
    p.bBatch.assign(b.begin(), b.end() - 2);
  }
  if (ka != kb)
    throw UserError("inner dims differ: " + dimsText(a) + " @ " + dimsText(b) +
                    " (" + std::to_string(ka) + " vs " + std::to_string(kb) +
                    ")");
  p.k = ka;
  p.outBatch = broadcastDims(p.aBatch, p.bBatch);
  p.outDims = p.outBatch;
  if (a.size() >= 2)
    p.outDims.push_back(p.n);
  if (b.size() >= 2)
    p.outDims.push_back(p.m);
  return p;
}

namespace {

// rowNormParams for group_norm and instance_norm.
RowNormParams groupNormParams(const OpNode &op,
                              const std::vector<TensorType> &in,
                              RowNormParams &p) {
  bool instance = op.op == "instance_norm";
  if (p.dims.size() < (instance ? 3u : 2u))
    throw UserError(std::string("input must be ") +
                    (instance ? "[N, C, L, ...]" : "[N, C, ...]") + ", got " +
                    dimsText(p.dims));
  int64_t n = p.dims[0], c = p.dims[1];
  p.groups = instance ? c : attrInt(op, "num_groups", 1);
  if (p.groups < 1 || c % p.groups != 0)
    throw UserError("num_groups " + std::to_string(p.groups) +
                    " does not divide the " + std::to_string(c) +
                    " channels of input " + dimsText(p.dims));
  p.byChannel = true;
  p.groupChannels = c / p.groups;
  p.spatial = n * c == 0 ? 0 : product(p.dims) / (n * c);
  if (instance && p.spatial == 1)
    throw UserError("instance_norm needs more than 1 spatial element per "
                    "channel (PyTorch rejects it), input " +
                    dimsText(p.dims));
  p.inner = p.groupChannels * p.spatial;
  p.outer = n * p.groups;
  p.eps = attrF32(op, "eps", 1e-5f);
  p.hasWeight = in.size() > 1;
  p.hasBias = in.size() > 2;
  if (p.hasWeight)
    p.weightScalar = !perFeature(in, 1, {c}, "weight");
  if (p.hasBias)
    p.biasScalar = !perFeature(in, 2, {c}, "bias");
  return p;
}

} // namespace

RowNormParams rowNormParams(const OpNode &op,
                            const std::vector<TensorType> &in) {
  expectFloats(in);
  RowNormParams p;
  p.dims = in[0].dims;
  if (op.op == "group_norm" || op.op == "instance_norm")
    return groupNormParams(op, in, p);
  int64_t k = attrInt(op, "normalized_ndim", 1);
  int64_t rank = static_cast<int64_t>(p.dims.size());
  if (k < 1 || k > rank)
    throw UserError("normalized_ndim " + std::to_string(k) +
                    " must be between 1 and the input's rank " +
                    std::to_string(rank) + " (input " + dimsText(p.dims) + ")");
  std::vector<int64_t> normalized(p.dims.end() - k, p.dims.end());
  p.inner = product(normalized);
  p.outer = product(p.dims) / p.inner;
  p.eps = attrF32(op, "eps", op.op == "rms_norm" ? FLT_EPSILON : 1e-5f);
  p.hasWeight = in.size() > 1;
  p.hasBias = in.size() > 2;
  if (p.hasWeight)
    p.weightScalar = !perFeature(in, 1, normalized, "weight");
  if (p.hasBias)
    p.biasScalar = !perFeature(in, 2, normalized, "bias");
  return p;
}

BatchNormParams batchNormParams(const OpNode &op,
                                const std::vector<TensorType> &in) {
  expectFloats(in);
  BatchNormParams p;
  p.dims = in[0].dims;
  if (p.dims.size() < 2)
    throw UserError("input must be at least 2-d [N, C, ...], got " +
                    dimsText(p.dims));
  p.n = p.dims[0];
  p.c = p.dims[1];
  p.spatial = product(p.dims) / (p.n * p.c);
  p.eps = attrF32(op, "eps", 1e-5f);
  p.hasWeight = in.size() > 3;
  p.hasBias = in.size() > 4;
  const char *names[] = {"running_mean", "running_var", "weight", "bias"};
  p.perChannel.assign(4, false);
  for (size_t k = 1; k < in.size(); ++k)
    p.perChannel[k - 1] = perFeature(in, k, {p.c}, names[k - 1]);
  return p;
}

LossParams lossParams(const OpNode &op, const std::vector<TensorType> &in) {
  LossParams p;
  std::string r = attrStr(op, "reduction", "mean");
  p.reduction = r == "sum"         ? LossParams::Reduction::Sum
                : r == "none"      ? LossParams::Reduction::None
                : r == "batchmean" ? LossParams::Reduction::BatchMean
                                   : LossParams::Reduction::Mean;
  p.inDims = in[0].dims;
  expectType(in, 0, DType::Float32);
  if (op.op == "triplet_margin_loss") {
    for (size_t k = 1; k < 3; ++k) {
      expectType(in, k, DType::Float32);
      if (in[k].dims != in[0].dims)
        throw UserError("anchor " + dimsText(in[0].dims) + " and " +
                        (k == 1 ? "positive " : "negative ") +
                        dimsText(in[k].dims) + " differ in shape");
    }
    if (p.inDims.size() != 1 && p.inDims.size() != 2)
      throw UserError("anchor must be [N, D] or [D], got " +
                      dimsText(p.inDims));
    p.classes = p.inDims.back();
    p.rows = p.inDims.size() == 2 ? p.inDims[0] : 1;
    if (p.reduction == LossParams::Reduction::None)
      p.outDims.assign(p.inDims.begin(), p.inDims.end() - 1);
    return p;
  }
  if (op.op != "cross_entropy") {
    expectType(in, 1, DType::Float32);
    if (in[1].dims != in[0].dims)
      throw UserError("input " + dimsText(in[0].dims) + " and target " +
                      dimsText(in[1].dims) + " differ in shape");
    if (p.reduction == LossParams::Reduction::None)
      p.outDims = p.inDims;
    return p;
  }
  const std::vector<int64_t> &x = in[0].dims, &t = in[1].dims;
  if (x.size() != 1 && x.size() != 2)
    throw UserError("logits must be [N, C] or [C], got " + dimsText(x));
  p.classes = x.back();
  p.rows = x.size() == 2 ? x[0] : 1;
  std::vector<int64_t> rowDims(x.begin(), x.end() - 1);
  if (in[1].dtype == DType::Int64) {
    if (t != rowDims)
      throw UserError("class-index target is " + dimsText(t) + ", expected " +
                      dimsText(rowDims) + " for logits " + dimsText(x));
    p.ignoreIndex = attrInt(op, "ignore_index", -100);
  } else if (in[1].dtype == DType::Float32) {
    p.classIndices = false;
    if (t != x)
      throw UserError("probability target is " + dimsText(t) +
                      ", expected the logits' shape " + dimsText(x));
    if (op.attrs.contains("ignore_index"))
      throw UserError("attr 'ignore_index' applies to int64 class-index "
                      "targets only");
  } else {
    throw UserError("operand 2 is " + toString(in[1].dtype) +
                    ", expected int64 (class indices) or float32 "
                    "(probabilities)");
  }
  if (p.reduction == LossParams::Reduction::None)
    p.outDims = rowDims;
  return p;
}

} // namespace ksynth::spec
