// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmin_long.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: NaN ignored: the if form without its NaN clause, a NaN element never wins
//
// The if form over rows of 2^17 (its branch merged in the summarised
// loop), refuted by one NaN element, the folds evaluated concretely.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    if (v < best) {
      best = v;
      idx = j;
    }
  }
  y[r] = idx;
}
