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
// Written once as the value at one output index (`poolAt`, dispatched by
// spec/ops/Apply.h `withValueAt`): the interpreter tabulates it, the
// verifier's reference evaluates it at a symbolic index.
#pragma once

#include "spec/Tensor.h"
#include "spec/ops/Index.h"
#include "spec/ops/Params.h"

#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace ksynth::spec::pool {

// Output element `flat` (an index of domain X, spec/ops/Index.h), the input
// read at flat index i as `read(i)`. Whether a tap is real (not padding) is
// a condition on the output coordinates; a tap that is not is left out of
// the fold, which keeps its value where the condition is false. `win` is
// windowOf(p).
template <class D, class X, class Read>
typename D::Val poolAt(const PoolParams &p, const Window &win, D &d,
                       const typename X::I &flat, Read read) {
  using V = typename D::Val;
  using I = typename X::I;
  using B = typename X::B;
  std::vector<I> c = coordsOf<X>({p.planes, p.od, p.oh, p.ow}, flat);
  const I &pl = c[0], &oz = c[1], &oy = c[2], &ox = c[3];
  int64_t hw = p.h * p.w;
  I base = affine<X>(
      {{pl, p.d * hw}, {oz, p.sd * hw}, {oy, p.sh * p.w}, {ox, p.sw}}, 0);
  // f(real, input index) for each tap, row-major.
  auto forTaps = [&](auto f) {
    for (int64_t kz = 0; kz < p.kd; ++kz) {
      B vz = inRange<X>(oz, win.z[kz].first, win.z[kz].second, p.od);
      for (int64_t ky = 0; ky < p.kh; ++ky) {
        B vzy = X::both(
            vz, inRange<X>(oy, win.y[ky].first, win.y[ky].second, p.oh));
        for (int64_t kx = 0; kx < p.kw; ++kx) {
          int64_t offZ = kz * p.dd - p.pd, offY = ky * p.dh - p.ph,
                  offX = kx * p.dw - p.pw;
          f(X::both(vzy,
                    inRange<X>(ox, win.x[kx].first, win.x[kx].second, p.ow)),
            offsetBy<X>(base, offZ * hw + offY * p.w + offX));
        }
      }
    }
  };
  if (p.isMax) {
    // m = the first real tap, then `if (v > m || isnan(v)) m = v`; no real
    // tap (impossible: padding <= kernel / 2): PyTorch's start value -inf.
    // `some`: a real tap was seen.
    V m = d.f32(-std::numeric_limits<float>::infinity());
    B some = X::lit(false);
    forTaps([&](const B &valid, const I &xi) {
      if (X::decided(valid) == std::optional<bool>(false))
        return;
      V prev = m;
      B seen = some;
      m = X::when(
          d, valid,
          [&] {
            V v = read(xi);
            return X::when(
                d, seen,
                [&] {
                  return d.select(d.lor(d.gt(v, prev), d.isnan(v)), v, prev);
                },
                v);
          },
          prev);
      some = X::decided(valid) == std::optional<bool>(true)
                 ? X::lit(true)
                 : X::no(X::both(X::no(some), X::no(valid)));
    });
    return m;
  }
  V acc = d.f32(0.0f);
  I count = X::c(0);
  bool countKnown = true;
  int64_t fixed = 0;
  forTaps([&](const B &valid, const I &xi) {
    acc = X::when(
        d, valid, [&] { return d.add(acc, read(xi)); }, acc);
    std::optional<bool> k = X::decided(valid);
    if (k) {
      fixed += *k ? 1 : 0;
    } else {
      countKnown = false;
      count = X::add(count, X::pickI(valid, X::c(1), X::c(0)));
    }
  });
  if (p.countIncludePad)
    return d.div(acc, d.num(static_cast<double>(p.kd * p.kh * p.kw)));
  if (countKnown)
    return d.div(acc, d.num(static_cast<double>(fixed)));
  // The number of real taps, as a float: a case per possible count.
  V divisor = d.num(static_cast<double>(fixed));
  for (int64_t k = 1; k <= p.kd * p.kh * p.kw; ++k)
    divisor = X::when(
        d, X::eq(count, k),
        [&] { return d.num(static_cast<double>(fixed + k)); }, divisor);
  return d.div(acc, divisor);
}

} // namespace ksynth::spec::pool
