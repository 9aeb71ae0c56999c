// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
//
// vload4/vstore4 body, select() on comparison masks (-1 per true lane; NaN
// lanes compare false and keep v), scalar loop for the n % 4 tail in the
// last work-item. N = 67: 16 vectors + a 3-element tail; N = 64: no tail.
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
