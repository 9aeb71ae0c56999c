// Parameters of convolution and pooling (spec/ops/Params.h). The 1-D ops
// are the 2-D ones with a height of 1 (kernel 1, stride 1, no padding).
#include "spec/OpAttrs.h"
#include "spec/ops/Params.h"

#include "support/Error.h"

#include <tuple>
#include <utility>

namespace ksynth::spec {

namespace {

constexpr int64_t kMaxAttr = int64_t{1} << 31;

std::string dimsText(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

void expectFloats(const std::vector<TensorType> &in) {
  for (size_t k = 0; k < in.size(); ++k)
    if (in[k].dtype != DType::Float32)
      throw UserError("operand " + std::to_string(k + 1) + " is " +
                      toString(in[k].dtype) + ", expected float32");
}

// Spatial attr values as (height, width); 1-D ops get `h1` for the height.
std::pair<int64_t, int64_t> hw(const OpNode &op, const char *name, int spatial,
                               int64_t dflt, int64_t min, int64_t h1) {
  std::vector<int64_t> v = attrInts(op, name, spatial, dflt);
  for (int64_t x : v)
    if (x < min || x > kMaxAttr)
      throw UserError(std::string("attr '") + name + "' must be " +
                      (min == 0 ? "between 0" : "between 1") +
                      " and 2^31, got " + std::to_string(x));
  return spatial == 1 ? std::make_pair(h1, v[0]) : std::make_pair(v[0], v[1]);
}

// Output size of a sliding window, or an error naming the sizes.
int64_t windows(int64_t size, int64_t k, int64_t s, int64_t p, int64_t d,
                const char *what) {
  int64_t extent = d * (k - 1) + 1, padded = size + 2 * p;
  if (extent > padded)
    throw UserError(std::string(what) + " extent " + std::to_string(extent) +
                    " is larger than the padded input " +
                    std::to_string(padded));
  return (padded - extent) / s + 1;
}

int spatialOf(const std::string &op) {
  return op.back() == 'd' && op[op.size() - 2] == '1' ? 1 : 2;
}

} // namespace

ConvParams convParams(const OpNode &op, const std::vector<TensorType> &in) {
  expectFloats(in);
  ConvParams p;
  p.transposed = op.op == "conv_transpose2d";
  int sp = spatialOf(op.op);
  const std::vector<int64_t> &x = in[0].dims, &w = in[1].dims;
  size_t xr = x.size();
  if (xr != static_cast<size_t>(sp) + 1 && xr != static_cast<size_t>(sp) + 2)
    throw UserError("input must be " +
                    std::string(sp == 1 ? "[N, C, L] or [C, L]"
                                        : "[N, C, H, W] or [C, H, W]") +
                    ", got " + dimsText(x));
  if (w.size() != static_cast<size_t>(sp) + 2)
    throw UserError("weight must be " +
                    std::string(p.transposed ? "[C_in, C_out/groups, kH, kW]"
                                : sp == 1    ? "[C_out, C_in/groups, K]"
                                             : "[C_out, C_in/groups, kH, kW]") +
                    ", got " + dimsText(w));
  bool batched = xr == static_cast<size_t>(sp) + 2;
  p.n = batched ? x[0] : 1;
  p.cin = x[batched ? 1 : 0];
  p.h = sp == 1 ? 1 : x[xr - 2];
  p.w = x[xr - 1];
  p.kh = sp == 1 ? 1 : w[2];
  p.kw = w.back();
  std::tie(p.sh, p.sw) = hw(op, "stride", sp, 1, 1, 1);
  std::tie(p.ph, p.pw) = hw(op, "padding", sp, 0, 0, 0);
  std::tie(p.dh, p.dw) = hw(op, "dilation", sp, 1, 1, 1);
  p.groups = attrInt(op, "groups", 1);
  if (p.groups < 1 || p.groups > kMaxAttr)
    throw UserError("attr 'groups' must be at least 1, got " +
                    std::to_string(p.groups));
  if (p.cin % p.groups != 0)
    throw UserError("input channels " + std::to_string(p.cin) +
                    " are not divisible by groups " + std::to_string(p.groups));
  if (!p.transposed) {
    p.cout = w[0];
    if (p.cout % p.groups != 0)
      throw UserError("output channels " + std::to_string(p.cout) +
                      " (weight dim 0) are not divisible by groups " +
                      std::to_string(p.groups));
    if (w[1] * p.groups != p.cin)
      throw UserError("input has " + std::to_string(p.cin) +
                      " channels but weight " + dimsText(w) + " expects " +
                      std::to_string(w[1] * p.groups) + " (groups " +
                      std::to_string(p.groups) + ")");
    p.oh = windows(p.h, p.kh, p.sh, p.ph, p.dh, "kernel");
    p.ow = windows(p.w, p.kw, p.sw, p.pw, p.dw, "kernel");
  } else {
    if (w[0] != p.cin)
      throw UserError("input has " + std::to_string(p.cin) +
                      " channels but weight " + dimsText(w) + " expects " +
                      std::to_string(w[0]));
    p.cout = w[1] * p.groups;
    auto [oph, opw] = hw(op, "output_padding", sp, 0, 0, 0);
    if ((oph >= p.sh && oph >= p.dh) || (opw >= p.sw && opw >= p.dw))
      throw UserError("attr 'output_padding' must be smaller than stride or "
                      "dilation");
    p.oh = (p.h - 1) * p.sh - 2 * p.ph + p.dh * (p.kh - 1) + oph + 1;
    p.ow = (p.w - 1) * p.sw - 2 * p.pw + p.dw * (p.kw - 1) + opw + 1;
    if (p.oh < 1 || p.ow < 1)
      throw UserError("output size " + std::to_string(p.oh) + "x" +
                      std::to_string(p.ow) + " is empty (padding too large)");
  }
  if (in.size() > 2) {
    p.hasBias = true;
    p.biasScalar = in[2].dims.empty();
    if (!p.biasScalar && in[2].dims != std::vector<int64_t>{p.cout})
      throw UserError("bias is " + dimsText(in[2].dims) + ", expected [" +
                      std::to_string(p.cout) + "] or a scalar");
  }
  if (batched)
    p.outDims.push_back(p.n);
  p.outDims.push_back(p.cout);
  if (sp == 2)
    p.outDims.push_back(p.oh);
  p.outDims.push_back(p.ow);
  return p;
}

PoolParams poolParams(const OpNode &op, const std::vector<TensorType> &in) {
  expectFloats(in);
  PoolParams p;
  p.isMax = op.op.rfind("max_", 0) == 0;
  int sp = spatialOf(op.op);
  const std::vector<int64_t> &x = in[0].dims;
  size_t xr = x.size();
  if (xr != static_cast<size_t>(sp) + 1 && xr != static_cast<size_t>(sp) + 2)
    throw UserError("input must be " +
                    std::string(sp == 1 ? "[N, C, L] or [C, L]"
                                        : "[N, C, H, W] or [C, H, W]") +
                    ", got " + dimsText(x));
  if (attrBool(op, "ceil_mode", false))
    throw UserError("ceil_mode true is not supported");
  p.h = sp == 1 ? 1 : x[xr - 2];
  p.w = x[xr - 1];
  p.planes = 1;
  for (size_t i = 0; i + sp < xr; ++i)
    p.planes *= x[i];
  std::tie(p.kh, p.kw) = hw(op, "kernel_size", sp, 1, 1, 1);
  auto [ksh, ksw] = std::make_pair(p.kh, p.kw);
  std::tie(p.sh, p.sw) = hw(op, "stride", sp, 1, 1, 1);
  if (!op.attrs.contains("stride")) // PyTorch: stride defaults to the kernel
    std::tie(p.sh, p.sw) = std::make_pair(ksh, ksw);
  std::tie(p.ph, p.pw) = hw(op, "padding", sp, 0, 0, 0);
  std::tie(p.dh, p.dw) = hw(op, "dilation", sp, 1, 1, 1);
  if (2 * p.ph > p.kh || 2 * p.pw > p.kw)
    throw UserError("padding must be at most half the kernel size (kernel " +
                    std::to_string(sp == 1 ? p.kw : p.kh) +
                    (sp == 1 ? "" : "x" + std::to_string(p.kw)) + ", padding " +
                    std::to_string(sp == 1 ? p.pw : p.ph) +
                    (sp == 1 ? "" : "x" + std::to_string(p.pw)) + ")");
  p.countIncludePad = attrBool(op, "count_include_pad", true);
  p.oh = windows(p.h, p.kh, p.sh, p.ph, p.dh, "window");
  p.ow = windows(p.w, p.kw, p.sw, p.pw, p.dw, "window");
  p.outDims.assign(x.begin(), x.end() - sp);
  if (sp == 2)
    p.outDims.push_back(p.oh);
  p.outDims.push_back(p.ow);
  return p;
}

} // namespace ksynth::spec
