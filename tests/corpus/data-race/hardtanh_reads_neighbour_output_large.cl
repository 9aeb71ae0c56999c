// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/hardtanh_1m.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// SHAPE: {"N": 1048576}
// BUG: reads y[i-1], which work-item i-1 writes, with nothing ordering them
// LOCATION: 15:10
// OTHER_LOCATION: 16:18
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float r = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    y[i] = r;
    if (i > 0 && y[i - 1] > 2.0f) // never true once written, but unordered
      y[i] = 0.0f;
  }
}
