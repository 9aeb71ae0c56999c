// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/argmax_4m.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
// BUG: size cheat: rows above 100000 get index 0 whatever their elements
//
// Right at every shape of at most 100001 rows; the arbitrary work-item at
// 2^22 + 3 rows finds a row above 100000 whose maximum is not its first
// element.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    if (v > best || (isnan(v) && !isnan(best))) {
      best = v;
      idx = j;
    }
  }
  y[r] = idx;
  if (r > 100000)
    y[r] = 0;
}
