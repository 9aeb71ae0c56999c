// conv1d, conv2d and conv_transpose2d over any domain D (spec/Semantics.h).
// The 1-D op is the 2-D one with a height of 1.
//
// conv1d/conv2d: each output element is a left fold from +0, over the input
// channels of its group, then kernel rows, then kernel columns, of x * w
// (each product rounded), plus the bias if given (one more rounding). A
// padding position is a +0 that is multiplied like any other input, so an
// infinite or NaN weight makes the border outputs NaN (0 * inf), as
// measured on PyTorch's CPU and CUDA convolutions. conv_transpose2d gathers
// only the products of real inputs (PyTorch scatters them, col2im). The
// order is unspecified in PyTorch (im2col + BLAS, oneDNN, Winograd): a spec
// with these ops must declare a tolerance.
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Params.h"

namespace ksynth::spec::conv {

template <class D, class V = typename D::Val>
Tensor<V> conv(const OpNode &op, const std::vector<const Tensor<V> *> &in,
               D &d) {
  ConvParams p = convParams(op, typesOf(in));
  const std::vector<V> &x = in[0]->data, &w = in[1]->data;
  Tensor<V> out;
  out.type = {DType::Float32, p.outDims};
  out.data.reserve(p.n * p.cout * p.oh * p.ow);
  int64_t cinG = p.cin / p.groups, coutG = p.cout / p.groups;
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t oc = 0; oc < p.cout; ++oc) {
      int64_t g = oc / coutG;
      for (int64_t oy = 0; oy < p.oh; ++oy)
        for (int64_t ox = 0; ox < p.ow; ++ox) {
          V acc = d.f32(0.0f);
          for (int64_t icg = 0; icg < cinG; ++icg) {
            int64_t ic = g * cinG + icg;
            for (int64_t ky = 0; ky < p.kh; ++ky)
              for (int64_t kx = 0; kx < p.kw; ++kx) {
                int64_t iy, ix, wi;
                if (!p.transposed) {
                  iy = oy * p.sh - p.ph + ky * p.dh;
                  ix = ox * p.sw - p.pw + kx * p.dw;
                  wi = ((oc * cinG + icg) * p.kh + ky) * p.kw + kx;
                } else {
                  // out[oy] gathers in[iy] where iy * s - pad + ky * dil ==
                  // oy; weight [C_in, C_out/groups, kH, kW].
                  int64_t ty = oy + p.ph - ky * p.dh;
                  int64_t tx = ox + p.pw - kx * p.dw;
                  if (ty < 0 || tx < 0 || ty % p.sh != 0 || tx % p.sw != 0)
                    continue;
                  iy = ty / p.sh;
                  ix = tx / p.sw;
                  wi = ((ic * coutG + oc % coutG) * p.kh + ky) * p.kw + kx;
                }
                if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w) {
                  if (!p.transposed) // padding: a +0 input
                    acc = d.add(acc, d.mul(d.f32(0.0f), w[wi]));
                  continue;
                }
                int64_t xi = ((n * p.cin + ic) * p.h + iy) * p.w + ix;
                acc = d.add(acc, d.mul(x[xi], w[wi]));
              }
          }
          if (p.hasBias)
            acc = d.add(acc, in[2]->data[p.biasScalar ? 0 : oc]);
          out.data.push_back(acc);
        }
    }
  return out;
}

} // namespace ksynth::spec::conv
