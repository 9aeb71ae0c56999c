// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmax_long.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: NaN rule: every NaN is taken, so the last NaN wins instead of the first
//
// The if form over rows of 2^17 (its branch merged in the summarised
// loop): not the reference's fold; a row of NaNs gives 131071 against 0.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    if (v > best || isnan(v)) {
      best = v;
      idx = j;
    }
  }
  y[r] = idx;
}
