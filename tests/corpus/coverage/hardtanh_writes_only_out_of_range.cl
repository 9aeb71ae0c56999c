// EXPECT: refuted
// OBLIGATION: coverage
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: relies on stale output contents: writes y only where x is out of range, assuming y already holds a copy of x
//
// Right if the harness happened to copy x into y first (or reused the
// buffer of a previous run). Output buffers start with unknown contents,
// so for any x[i] in [-1, 1] (or NaN) y[i] is never written. No stale
// value is read, so the obligation is coverage, not uninitialized-read.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    if (v > 1.0f)
      y[i] = 1.0f;
    else if (v < -1.0f)
      y[i] = -1.0f;
  }
}
