// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh.json
// SHAPE: {"N": 67}
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["((N+63)/64)*64"],"local":["64"]}]}
// BUG: off-by-one bounds guard: i <= n lets work-item n read x[n] and write y[n]
//
// Global size rounded up to the work-group (N = 67: 128), so work-item 67
// exists and passes the guard. At N = 64 the grid is exactly 64 and the
// bug hides: the counterexample must be at N = 67.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i <= n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
