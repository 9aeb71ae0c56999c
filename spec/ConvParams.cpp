// Parameters of convolution and pooling (spec/ops/Params.h). The 1-D and
// 2-D ops are the 3-D ones with a depth (and height) of 1 (kernel 1,
// stride 1, no padding).
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

// Spatial attr values as (depth, height, width); the missing leading axes
// of 1-D and 2-D ops get `fill`.
std::tuple<int64_t, int64_t, int64_t> dhw(const OpNode &op, const char *name,
                                          int spatial, int64_t dflt,
                                          int64_t min, int64_t fill) {
  std::vector<int64_t> v = attrInts(op, name, spatial, dflt);
  for (int64_t x : v)
    if (x < min || x > kMaxAttr)
      throw UserError(std::string("attr '") + name + "' must be " +
                      (min == 0 ? "between 0" : "between 1") +
                      " and 2^31, got " + std::to_string(x));
  while (v.size() < 3)
    v.insert(v.begin(), fill);
  return {v[0], v[1], v[2]};
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
  char n = op.size() >= 2 ? op[op.size() - 2] : '2';
  return n == '1' ? 1 : n == '3' ? 3 : 2;
}

std::string shapeText(int sp, bool batchedOnly) {
  std::string s = sp == 1 ? "L" : sp == 2 ? "H, W" : "D, H, W";
  return batchedOnly ? "[N, C, " + s + "]"
                     : "[N, C, " + s + "] or [C, " + s + "]";
}

std::string kernelText(int sp) {
  return sp == 1 ? "K" : sp == 2 ? "kH, kW" : "kD, kH, kW";
}

} // namespace

ConvParams convParams(const OpNode &op, const std::vector<TensorType> &in) {
  expectFloats(in);
  ConvParams p;
  p.transposed = op.op.rfind("conv_transpose", 0) == 0;
  int sp = spatialOf(op.op);
  size_t s = static_cast<size_t>(sp);
  const std::vector<int64_t> &x = in[0].dims, &w = in[1].dims;
  size_t xr = x.size();
  if (xr != s + 1 && xr != s + 2)
    throw UserError("input must be " + shapeText(sp, false) + ", got " +
                    dimsText(x));
  if (w.size() != s + 2)
    throw UserError("weight must be " +
                    std::string(p.transposed ? "[C_in, C_out/groups, "
                                             : "[C_out, C_in/groups, ") +
                    kernelText(sp) + "], got " + dimsText(w));
  bool batched = xr == s + 2;
  p.n = batched ? x[0] : 1;
  p.cin = x[batched ? 1 : 0];
  p.d = sp == 3 ? x[xr - 3] : 1;
  p.h = sp >= 2 ? x[xr - 2] : 1;
  p.w = x[xr - 1];
  p.kd = sp == 3 ? w[2] : 1;
  p.kh = sp >= 2 ? w[w.size() - 2] : 1;
  p.kw = w.back();
  std::tie(p.sd, p.sh, p.sw) = dhw(op, "stride", sp, 1, 1, 1);
  std::tie(p.pd, p.ph, p.pw) = dhw(op, "padding", sp, 0, 0, 0);
  std::tie(p.dd, p.dh, p.dw) = dhw(op, "dilation", sp, 1, 1, 1);
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
    p.od = windows(p.d, p.kd, p.sd, p.pd, p.dd, "kernel");
    p.oh = windows(p.h, p.kh, p.sh, p.ph, p.dh, "kernel");
    p.ow = windows(p.w, p.kw, p.sw, p.pw, p.dw, "kernel");
  } else {
    if (w[0] != p.cin)
      throw UserError("input has " + std::to_string(p.cin) +
                      " channels but weight " + dimsText(w) + " expects " +
                      std::to_string(w[0]));
    p.cout = w[1] * p.groups;
    auto [opd, oph, opw] = dhw(op, "output_padding", sp, 0, 0, 0);
    if ((opd >= p.sd && opd >= p.dd) || (oph >= p.sh && oph >= p.dh) ||
        (opw >= p.sw && opw >= p.dw))
      throw UserError("attr 'output_padding' must be smaller than stride or "
                      "dilation");
    p.od = (p.d - 1) * p.sd - 2 * p.pd + p.dd * (p.kd - 1) + opd + 1;
    p.oh = (p.h - 1) * p.sh - 2 * p.ph + p.dh * (p.kh - 1) + oph + 1;
    p.ow = (p.w - 1) * p.sw - 2 * p.pw + p.dw * (p.kw - 1) + opw + 1;
    if (p.od < 1 || p.oh < 1 || p.ow < 1)
      throw UserError("output size " +
                      (sp == 3 ? std::to_string(p.od) + "x" : std::string()) +
                      std::to_string(p.oh) + "x" + std::to_string(p.ow) +
                      " is empty (padding too large)");
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
  if (sp == 3)
    p.outDims.push_back(p.od);
  if (sp >= 2)
    p.outDims.push_back(p.oh);
  p.outDims.push_back(p.ow);
  return p;
}

PoolParams poolParams(const OpNode &op, const std::vector<TensorType> &in) {
  expectFloats(in);
  PoolParams p;
  p.isMax = op.op.rfind("max_", 0) == 0;
  int sp = spatialOf(op.op);
  size_t s = static_cast<size_t>(sp);
  const std::vector<int64_t> &x = in[0].dims;
  size_t xr = x.size();
  if (xr != s + 1 && xr != s + 2)
    throw UserError("input must be " + shapeText(sp, false) + ", got " +
                    dimsText(x));
  if (attrBool(op, "ceil_mode", false))
    throw UserError("ceil_mode true is not supported");
  p.d = sp == 3 ? x[xr - 3] : 1;
  p.h = sp >= 2 ? x[xr - 2] : 1;
  p.w = x[xr - 1];
  p.planes = 1;
  for (size_t i = 0; i + s < xr; ++i)
    p.planes *= x[i];
  std::tie(p.kd, p.kh, p.kw) = dhw(op, "kernel_size", sp, 1, 1, 1);
  std::tie(p.sd, p.sh, p.sw) = dhw(op, "stride", sp, 1, 1, 1);
  if (!op.attrs.contains("stride")) // PyTorch: stride defaults to the kernel
    std::tie(p.sd, p.sh, p.sw) = std::make_tuple(p.kd, p.kh, p.kw);
  std::tie(p.pd, p.ph, p.pw) = dhw(op, "padding", sp, 0, 0, 0);
  std::tie(p.dd, p.dh, p.dw) = dhw(op, "dilation", sp, 1, 1, 1);
  if (2 * p.pd > p.kd || 2 * p.ph > p.kh || 2 * p.pw > p.kw) {
    auto text = [&](int64_t a, int64_t b, int64_t c) {
      return sp == 1   ? std::to_string(c)
             : sp == 2 ? std::to_string(b) + "x" + std::to_string(c)
                       : std::to_string(a) + "x" + std::to_string(b) + "x" +
                             std::to_string(c);
    };
    throw UserError("padding must be at most half the kernel size (kernel " +
                    text(p.kd, p.kh, p.kw) + ", padding " +
                    text(p.pd, p.ph, p.pw) + ")");
  }
  p.countIncludePad = attrBool(op, "count_include_pad", true);
  p.od = windows(p.d, p.kd, p.sd, p.pd, p.dd, "window");
  p.oh = windows(p.h, p.kh, p.sh, p.ph, p.dh, "window");
  p.ow = windows(p.w, p.kw, p.sw, p.pw, p.dw, "window");
  p.outDims.assign(x.begin(), x.end() - sp);
  if (sp == 3)
    p.outDims.push_back(p.od);
  if (sp >= 2)
    p.outDims.push_back(p.oh);
  p.outDims.push_back(p.ow);
  return p;
}

} // namespace ksynth::spec
