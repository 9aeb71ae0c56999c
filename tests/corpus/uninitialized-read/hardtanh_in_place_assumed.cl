// EXPECT: refuted
// OBLIGATION: uninitialized-read
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: relies on stale output contents: computes in place on y, assuming the harness copied x into y first
//
// The in-place variant (hardtanh_) with an out-of-place signature: x is
// ignored and y is read before anything wrote it.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = y[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
