// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmax_4m.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: tie rule: >= takes the last of equal maxima instead of the first
//
// At 2^22 + 3 rows: a row with two equal maxima (or -0 after +0), refuted
// by one arbitrary work-item with sparse inputs.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    if (v >= best || (isnan(v) && !isnan(best))) {
      best = v;
      idx = j;
    }
  }
  y[r] = idx;
}
