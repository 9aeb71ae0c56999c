// HardTanh, four elements per work-item (global size ceil(n/4)).
// Body: vload4/vstore4 and select() on comparison masks. Not clamp():
// OpenCL's clamp(v, lo, hi) is fmin(fmax(v, lo), hi), and fmax(NaN, -1) is
// -1, so clamp would turn NaN into a bound. A vector comparison yields -1
// (all bits set) per true lane, and select(a, b, c) takes b where the MSB of
// c is set, so NaN lanes (all comparisons false) keep v.
// Tail: the last work-item handles the n % 4 leftover elements one by one.
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = vload4(g, x);
    const float4 lo = (float4)(-1.0f);
    const float4 hi = (float4)(1.0f);
    float4 r = select(v, lo, v < lo);
    r = select(r, hi, r > hi);
    vstore4(r, g, y);
  } else {
    for (int j = i; j < n; ++j) {
      float v = x[j];
      y[j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
  }
}
