// EXPECT: proved
// SPEC: ../specs/hardtanh_large_odd.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
//
// float4 body and a scalar tail loop at N = 1000003 (250001 work-items): one
// arbitrary symbolic work-item; infeasible tail iterations are pruned by the
// solver, so the loop over j runs at most 3 times on any path.
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
    for (int j = i; j < n; ++j) {
      float v = x[j];
      y[j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
  }
}
