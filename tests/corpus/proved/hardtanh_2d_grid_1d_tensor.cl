// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["16","(N+15)/16"]}]}
//
// A 1-D tensor walked by a 2-D grid of 16 x ceil(n/16) work-items:
// i = row * 16 + col, guarded for the partial last row (N = 67: 5 rows,
// 80 work-items, 13 of them idle).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(1) * get_global_size(0) + get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
