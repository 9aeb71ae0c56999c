// EXPECT: refuted
// OBLIGATION: input-modified
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: writes its input: stores the result into x as well as y
//
// y is right, but x is clobbered: a caller (or the next timed run) sees
// different inputs, and a later run of this kernel would find x already
// clamped.
__kernel void hardtanh(__global float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float r = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    x[i] = r;
    y[i] = r;
  }
}
