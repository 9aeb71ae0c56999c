// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: two work-items write the same element: each writes y[i] and also y[i + 1]
//
// Both writes store the right value, so every output is right on any one
// run, but work-items i and i + 1 race on y[i + 1] (undefined in OpenCL).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    if (i + 1 < n) {
      float w = x[i + 1];
      y[i + 1] = w < -1.0f ? -1.0f : (w > 1.0f ? 1.0f : w);
    }
  }
}
