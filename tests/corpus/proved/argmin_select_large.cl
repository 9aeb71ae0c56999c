// EXPECT: proved
// SPEC: ../specs/argmin_4m.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
//
// argmin (first NaN, else first minimal element; -0 == +0, so of the two
// the first), selects, at 2^22 + 3 rows of 7: one arbitrary work-item.
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
