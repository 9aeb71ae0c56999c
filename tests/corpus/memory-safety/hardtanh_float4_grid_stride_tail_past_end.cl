// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh_grid.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["33792"],"local":[256]}]}
// BUG: wrong tail bound (i <= n): work-item 0 reads x[n] one past the end
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0), G = get_global_size(0);
  int n4 = n / 4;
  const float4 lo = (float4)(-1.0f), hi = (float4)(1.0f);
  for (int v = g; v < n4; v += G) {
    float4 a = vload4(v, x);
    float4 r = select(a, lo, a < lo);
    r = select(r, hi, r > hi);
    vstore4(r, v, y);
  }
  for (int i = 4 * n4 + g; i <= n; i += G) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
