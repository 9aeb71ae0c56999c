// EXPECT: refuted
// OBLIGATION: coverage
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: covers only part of the output: guard i < n - 1 never writes y[n - 1]
// LOCATION: 7
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n - 1) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
