// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh.json
// SHAPE: {"N": 67}
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// BUG: float4 over-read: the last vector is loaded whole (x[64..67] at N = 67); only the stores are guarded
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  float4 v = vload4(g, x);
  float4 r = select(v, (float4)(-1.0f), v < (float4)(-1.0f));
  r = select(r, (float4)(1.0f), r > (float4)(1.0f));
  if (i + 4 <= n) {
    vstore4(r, g, y);
  } else {
    if (i < n)
      y[i] = r.s0;
    if (i + 1 < n)
      y[i + 1] = r.s1;
    if (i + 2 < n)
      y[i + 2] = r.s2;
  }
}
