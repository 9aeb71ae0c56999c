// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh_64.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["N/4"]}]}
// BUG: the lane written through a pointer at a data-dependent position gets the unclamped value
float ht(float v) { return v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v); }

__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int i = get_global_id(0);
  float4 v = vload4(i, x);
  float4 r = v;
  r.s0 = ht(v.s0);
  r.s1 = ht(v.s1);
  r.s23 = (float2)(ht(v.s2), ht(v.s3));
  int k = v.s0 > 0.0f ? 2 : 3;
  float e = k == 2 ? v.s2 : v.s3;
  ((float *)&r)[k] = e;
  vstore4(r, i, y);
}
