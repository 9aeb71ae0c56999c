// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["2*N"]}]}
// BUG: two work-items write the same element: a 2N grid folded onto N elements with i % n
// LOCATION: 12:8
// OTHER_LOCATION: 12:8
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0) % n;
  float v = x[i];
  y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
