// EXPECT: proved
// SPEC: ../specs/argmax_4m.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
//
// Index of the first NaN, else of the first maximal element, one work-item
// per row, the update as selects (bench/issue4/reduce_argmax_dim1): at
// 2^22 + 3 rows of 7 (more work-items than are enumerated), one arbitrary
// work-item whose int64 store equals the reference's index (a 64-bit
// bit-vector) for every row and every float32 input.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    int take = !isnan(best) && !(v <= best);
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}
