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
//
// Written once as the value at one output index (`convAt`, dispatched by
// spec/ops/Apply.h `withValueAt`): the interpreter tabulates it, the
// verifier's reference evaluates it at a symbolic index.
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Index.h"
#include "spec/ops/Params.h"

#include <vector>

namespace ksynth::spec::conv {

// Output element `flat` (an index of domain X, spec/ops/Index.h), operand
// k (0 the input, 1 the weight, 2 the bias) read at flat index i as
// `read(k, i)`. Tap validity is a condition on the output coordinates (a
// padding tap of a forward convolution is a +0 input multiplied like any
// other; a tap of a transposed convolution that no input reaches is left
// out of the fold, which keeps its value where the condition is false).
// Weight [C_out, C_in/groups, k...] or, transposed, [C_in, C_out/groups,
// k...]. `win` is windowOf(p) (forward taps).
template <class D, class X, class Read>
typename D::Val convAt(const ConvParams &p, const Window &win, D &d,
                       const typename X::I &flat, Read read) {
  using V = typename D::Val;
  using I = typename X::I;
  using B = typename X::B;
  std::vector<I> c = coordsOf<X>({p.n, p.cout, p.od, p.oh, p.ow}, flat);
  const I &n = c[0], &oc = c[1], &oz = c[2], &oy = c[3], &ox = c[4];
  int64_t cinG = p.cin / p.groups, coutG = p.cout / p.groups;
  I g = p.groups == 1 ? X::c(0) : X::div(oc, coutG);
  I ocg = p.groups == 1 ? oc : X::mod(oc, coutG);
  int64_t hw = p.h * p.w, dhw = p.d * hw, taps = p.kd * p.kh * p.kw;
  V acc = d.f32(0.0f);
  if (!p.transposed) {
    // iz = oz * sd - pd + kz * dd, iy and ix likewise; outside the input a
    // +0 multiplied by the weight.
    I xBase = affine<X>({{n, p.cin * dhw},
                         {g, cinG * dhw},
                         {oz, p.sd * hw},
                         {oy, p.sh * p.w},
                         {ox, p.sw}},
                        0);
    I wBase = affine<X>({{oc, cinG * taps}}, 0);
    for (int64_t icg = 0; icg < cinG; ++icg)
      for (int64_t kz = 0; kz < p.kd; ++kz) {
        B vz = inRange<X>(oz, win.z[kz].first, win.z[kz].second, p.od);
        for (int64_t ky = 0; ky < p.kh; ++ky) {
          B vzy = X::both(
              vz, inRange<X>(oy, win.y[ky].first, win.y[ky].second, p.oh));
          for (int64_t kx = 0; kx < p.kw; ++kx) {
            int64_t offZ = kz * p.dd - p.pd, offY = ky * p.dh - p.ph,
                    offX = kx * p.dw - p.pw;
            B valid = X::both(
                vzy, inRange<X>(ox, win.x[kx].first, win.x[kx].second, p.ow));
            I wi =
                offsetBy<X>(wBase, ((icg * p.kd + kz) * p.kh + ky) * p.kw + kx);
            I xi =
                offsetBy<X>(xBase, icg * dhw + offZ * hw + offY * p.w + offX);
            V xv = X::when(
                d, valid, [&] { return read(0, xi); }, d.f32(0.0f));
            acc = d.add(acc, d.mul(xv, read(1, wi)));
          }
        }
      }
  } else {
    for (int64_t icg = 0; icg < cinG; ++icg)
      for (int64_t kz = 0; kz < p.kd; ++kz)
        for (int64_t ky = 0; ky < p.kh; ++ky)
          for (int64_t kx = 0; kx < p.kw; ++kx) {
            // out[oy] gathers in[iy] where iy * sh - ph + ky * dh == oy: ty
            // = oy + ph - ky * dh >= 0, ty % sh == 0, iy = ty / sh < h (ty
            // < h * sh); oz and ox likewise.
            int64_t tzOff = p.pd - kz * p.dd, tyOff = p.ph - ky * p.dh,
                    txOff = p.pw - kx * p.dw;
            B valid = X::both(
                X::both(inRange<X>(oz, -tzOff, p.d * p.sd - tzOff, p.od),
                        inRange<X>(oy, -tyOff, p.h * p.sh - tyOff, p.oh)),
                inRange<X>(ox, -txOff, p.w * p.sw - txOff, p.ow));
            // (o + off) with off in [0, s) has the residue of o + tOff, and
            // i = (o + off) / s + (tOff - off) / s, the second exact.
            auto along = [&](const I &o, int64_t off0, int64_t s) {
              if (s == 1)
                return off0 == 0 ? o : X::add(o, X::c(off0));
              int64_t off = ((off0 % s) + s) % s;
              I t = off == 0 ? o : X::add(o, X::c(off));
              valid = X::both(valid, X::eq(X::mod(t, s), 0));
              I q = X::div(t, s);
              int64_t rest = (off0 - off) / s;
              return rest == 0 ? q : X::add(q, X::c(rest));
            };
            I iz = along(oz, tzOff, p.sd);
            I iy = along(oy, tyOff, p.sh);
            I ix = along(ox, txOff, p.sw);
            I ic = affine<X>({{g, cinG}}, icg);
            I wi = affine<X>({{ic, coutG * taps}, {ocg, taps}},
                             (kz * p.kh + ky) * p.kw + kx);
            I xi = affine<X>(
                {{n, p.cin * dhw}, {ic, dhw}, {iz, hw}, {iy, p.w}, {ix, 1}}, 0);
            acc = X::when(
                d, valid,
                [&] { return d.add(acc, d.mul(read(0, xi), read(1, wi))); },
                acc);
          }
  }
  if (p.hasBias)
    acc = d.add(acc, read(2, p.biasScalar ? X::c(0) : oc));
  return acc;
}

} // namespace ksynth::spec::conv
