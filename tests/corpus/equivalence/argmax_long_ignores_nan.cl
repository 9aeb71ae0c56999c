// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmax_long.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: NaN ignored: a NaN element never wins, where the reference returns the first NaN
//
// Refuted over rows of 2^17 by one NaN element (every other element 0),
// the folds evaluated update by update.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    int take = v > best;
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}
