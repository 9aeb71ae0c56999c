// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/hardtanh.json
// SHAPE: {"N": 67}
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// BUG: two work-items write the same element: the last vector is shifted back to end at n and overlaps the previous one
//
// The CPU SIMD trick for tails: process elements n-4 .. n-1 as one vector.
// At N = 67 the last work-item writes y[63..66] and work-item 15 writes
// y[60..63]: both write y[63] (the same value, but still a race). At
// N = 64 there is no overlap.
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  int i = min(g * 4, n - 4);
  float4 v = vload4(0, x + i);
  float4 r = select(v, (float4)(-1.0f), v < (float4)(-1.0f));
  r = select(r, (float4)(1.0f), r > (float4)(1.0f));
  vstore4(r, 0, y + i);
}
