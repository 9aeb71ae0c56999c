// EXPECT: unknown
// UNKNOWN_KIND: bound
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// Applies HardTanh 10^7 times. HardTanh is idempotent, so the result is
// right, but a loop of 10^7 iterations is far past any unroll bound, and
// clang cannot remove it. Expected: unknown (bound), not proved and not a
// hang.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    for (int k = 0; k < 10000000; ++k)
      v = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    y[i] = v;
  }
}
