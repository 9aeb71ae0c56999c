// EXPECT: proved
// SPEC: ../specs/argmax_4m.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
//
// The same as an if: clang -O2 keeps a branch per iteration (isnan is a
// call it does not speculate), so the arbitrary work-item would fork
// 3^6 paths; the symbolic work-item method merges the two sides of each
// branch where they rejoin (verify/PathMerge.cpp): one path, whose best
// and idx are ite terms of the conditions.
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
}
