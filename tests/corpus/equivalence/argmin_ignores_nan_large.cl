// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmin_4m.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: NaN ignored: fmin-style update skips NaN elements, where the reference returns the first NaN
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    if (v < best || isnan(best)) {
      best = v;
      idx = j;
    }
  }
  y[r] = idx;
}
