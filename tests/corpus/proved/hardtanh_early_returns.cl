// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N+5"]}]}
//
// Branchy control flow: early return for idle work-items, one store per
// path. Every path writes y[i] exactly once with the right value; NaN takes
// the last path (both comparisons false) and is stored unchanged.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  float v = x[i];
  if (v < -1.0f) {
    y[i] = -1.0f;
    return;
  }
  if (v > 1.0f) {
    y[i] = 1.0f;
    return;
  }
  y[i] = v;
}
