// EXPECT: refuted
// OBLIGATION: coverage
// SPEC: ../specs/hardtanh_large_odd.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// SHAPE: {"N": 1000003}
// BUG: the tail loop stops one short (j < n - 1): y[n-1] is never written
//
// The store addresses 4g + k (body) and j (tail) are inverted to find the
// work-item that would write each element; y[1000002] has none.
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = vload4(g, x);
    float4 r = select(v, (float4)(-1.0f), v < (float4)(-1.0f));
    r = select(r, (float4)(1.0f), r > (float4)(1.0f));
    vstore4(r, g, y);
  } else {
    for (int j = i; j < n - 1; ++j) {
      float v = x[j];
      y[j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
  }
}
