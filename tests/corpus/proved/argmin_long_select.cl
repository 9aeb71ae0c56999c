// EXPECT: proved
// SPEC: ../specs/argmin_long.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
//
// Index of the first NaN, else of the first minimal element, over rows of
// 2^17: a two-state fold proved equal by induction to the reference's
// argmin fold.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    int take = !isnan(best) && !(v >= best);
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}
