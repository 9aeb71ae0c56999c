// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmax_long.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: tie rule: >= takes the last of equal maxima instead of the first
//
// Over rows of 2^17 the summarised loop is not the reference's fold; the
// two folds evaluated update by update on a uniform row give index
// 131071 against 0.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    int take = !isnan(best) && !(v < best);
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}
