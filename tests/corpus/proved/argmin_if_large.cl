// EXPECT: proved
// SPEC: ../specs/argmin_4m.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
//
// argmin as an if: branches per iteration (isnan is a call clang -O2 does
// not speculate), merged where they rejoin (verify/PathMerge.cpp).
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    if (v < best || (isnan(v) && !isnan(best))) {
      best = v;
      idx = j;
    }
  }
  y[r] = idx;
}
