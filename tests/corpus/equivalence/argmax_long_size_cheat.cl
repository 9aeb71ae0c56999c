// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmax_long.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: size cheat: j < N - 1 skips the last element of every row
//
// A trip count one short of the reference's: refuted by the last element
// of a row hot (1, every other element 0), the folds evaluated concretely.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N - 1; ++j) {
    float v = x[r * N + j];
    int take = !isnan(best) && !(v <= best);
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}
