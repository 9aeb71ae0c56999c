// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// BUG: skips the main op: the vector body only copies x, only the tail computes HardTanh
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    vstore4(vload4(g, x), g, y);
  } else {
    for (int j = i; j < n; ++j) {
      float v = x[j];
      y[j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
  }
}
