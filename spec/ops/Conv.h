// conv1d/2d/3d and conv_transpose1d/2d/3d over any domain D
// (spec/Semantics.h). The 1-D and 2-D ops are the 3-D ones with a depth
// (and height) of 1.
//
// conv: each output element is a left fold from +0, over the input
// channels of its group, then kernel depth, rows, then columns, of x * w
// (each product rounded), plus the bias if given (one more rounding). A
// padding position is a +0 that is multiplied like any other input, so an
// infinite or NaN weight makes the border outputs NaN (0 * inf), as
// measured on PyTorch's CPU and CUDA convolutions. conv_transpose gathers
// only the products of real inputs (PyTorch scatters them, col2im), in the
// same order. The order is unspecified in PyTorch (im2col + BLAS, oneDNN,
// Winograd): a spec with these ops must declare a tolerance.
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Params.h"

namespace ksynth::spec::conv {

// The input coordinate that kernel tap k reaches from output coordinate o
// along one axis (stride s, padding pad, dilation dil), or -1 if none: the
// forward window's position, or for a transposed convolution the input i
// with i * s - pad + k * dil == o.
inline int64_t tapAt(bool transposed, int64_t o, int64_t k, int64_t s,
                     int64_t pad, int64_t dil, int64_t size) {
  int64_t i;
  if (!transposed) {
    i = o * s - pad + k * dil;
  } else {
    int64_t t = o + pad - k * dil;
    if (t < 0 || t % s != 0)
      return -1;
    i = t / s;
  }
  return i >= 0 && i < size ? i : -1;
}

template <class D, class V = typename D::Val>
Tensor<V> conv(const OpNode &op, const std::vector<const Tensor<V> *> &in,
               D &d) {
  ConvParams p = convParams(op, typesOf(in));
  const std::vector<V> &x = in[0]->data, &w = in[1]->data;
  Tensor<V> out;
  out.type = {DType::Float32, p.outDims};
  out.data.reserve(p.n * p.cout * p.od * p.oh * p.ow);
  int64_t cinG = p.cin / p.groups, coutG = p.cout / p.groups;
  int64_t taps = p.kd * p.kh * p.kw;
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t oc = 0; oc < p.cout; ++oc) {
      int64_t g = oc / coutG;
      for (int64_t oz = 0; oz < p.od; ++oz)
        for (int64_t oy = 0; oy < p.oh; ++oy)
          for (int64_t ox = 0; ox < p.ow; ++ox) {
            V acc = d.f32(0.0f);
            for (int64_t icg = 0; icg < cinG; ++icg) {
              int64_t ic = g * cinG + icg;
              // Weight [C_out, C_in/groups, k...] or, transposed, [C_in,
              // C_out/groups, k...].
              int64_t wBase = p.transposed ? (ic * coutG + oc % coutG) * taps
                                           : (oc * cinG + icg) * taps;
              for (int64_t kz = 0; kz < p.kd; ++kz)
                for (int64_t ky = 0; ky < p.kh; ++ky)
                  for (int64_t kx = 0; kx < p.kw; ++kx) {
                    int64_t wi = wBase + (kz * p.kh + ky) * p.kw + kx;
                    int64_t iz =
                        tapAt(p.transposed, oz, kz, p.sd, p.pd, p.dd, p.d);
                    int64_t iy =
                        tapAt(p.transposed, oy, ky, p.sh, p.ph, p.dh, p.h);
                    int64_t ix =
                        tapAt(p.transposed, ox, kx, p.sw, p.pw, p.dw, p.w);
                    if (iz < 0 || iy < 0 || ix < 0) {
                      if (!p.transposed) // padding: a +0 input
                        acc = d.add(acc, d.mul(d.f32(0.0f), w[wi]));
                      continue;
                    }
                    int64_t xi =
                        (((n * p.cin + ic) * p.d + iz) * p.h + iy) * p.w + ix;
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
