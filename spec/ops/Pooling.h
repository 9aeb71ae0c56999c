// max_pool1d/2d/3d and avg_pool1d/2d/3d (ceil_mode false) over any domain
// D (spec/Semantics.h). The 1-D and 2-D ops are the 3-D ones with a depth
// (and height) of 1.
//
// Window taps are visited row-major; padding taps are skipped.
//   max: PyTorch's CPU kernel `if (v > m || isnan(v)) m = v` from the first
//        tap: a NaN wins, otherwise the first maximal tap (of -0 and +0 the
//        earlier). Exact: no tolerance needed.
//   avg: a left fold from +0 of the taps, divided by the kernel area
//        (count_include_pad true, PyTorch's default; with ceil_mode false
//        every window lies inside the padded input) or by the number of
//        non-padding taps (count_include_pad false). A sum: needs a
//        tolerance.
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Params.h"

#include <limits>

namespace ksynth::spec::pool {

template <class D, class V = typename D::Val>
Tensor<V> pool(const OpNode &op, const std::vector<const Tensor<V> *> &in,
               D &d) {
  PoolParams p = poolParams(op, typesOf(in));
  const std::vector<V> &x = in[0]->data;
  Tensor<V> out;
  out.type = {DType::Float32, p.outDims};
  out.data.reserve(p.planes * p.od * p.oh * p.ow);
  std::vector<V> taps;
  for (int64_t c = 0; c < p.planes; ++c)
    for (int64_t oz = 0; oz < p.od; ++oz)
      for (int64_t oy = 0; oy < p.oh; ++oy)
        for (int64_t ox = 0; ox < p.ow; ++ox) {
          taps.clear();
          for (int64_t kz = 0; kz < p.kd; ++kz)
            for (int64_t ky = 0; ky < p.kh; ++ky)
              for (int64_t kx = 0; kx < p.kw; ++kx) {
                int64_t iz = oz * p.sd - p.pd + kz * p.dd;
                int64_t iy = oy * p.sh - p.ph + ky * p.dh;
                int64_t ix = ox * p.sw - p.pw + kx * p.dw;
                if (iz >= 0 && iz < p.d && iy >= 0 && iy < p.h && ix >= 0 &&
                    ix < p.w)
                  taps.push_back(x[((c * p.d + iz) * p.h + iy) * p.w + ix]);
              }
          if (p.isMax) {
            // Every window holds a real tap (padding <= kernel / 2); keep the
            // PyTorch start value -inf for the impossible empty window.
            V m = taps.empty() ? d.f32(-std::numeric_limits<float>::infinity())
                               : taps[0];
            for (size_t t = 1; t < taps.size(); ++t)
              m = d.select(d.lor(d.gt(taps[t], m), d.isnan(taps[t])), taps[t],
                           m);
            out.data.push_back(m);
            continue;
          }
          V acc = d.f32(0.0f);
          for (const V &t : taps)
            acc = d.add(acc, t);
          int64_t count = p.countIncludePad ? p.kd * p.kh * p.kw
                                            : static_cast<int64_t>(taps.size());
          out.data.push_back(d.div(acc, d.num(static_cast<double>(count))));
        }
  return out;
}

} // namespace ksynth::spec::pool
