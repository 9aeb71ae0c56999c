// EXPECT: unknown
// UNKNOWN_KIND: bound
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// Computes the right values, then never returns (while (1) with a constant
// condition is kept by clang: C11 6.8.5p6). Unrolling cannot finish, so
// the verdict is unknown at the unroll bound, never proved.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
  while (1) {
  }
}
