// EXPECT: proved
// SPEC: ../specs/argmax_long.json
// MANIFEST: {"launches":[{"kernel":"k","args":["x","y","N"],"global":["M"]}]}
//
// argmax over rows of 2^17 with the update as an if: clang -O2 keeps a
// branch per iteration (isnan is a call it does not speculate); the loop
// summary runs the body once with the branch's two sides merged (ite
// terms, verify/PathMerge.cpp), and that update is proved equal, state by
// state, to the reference's select form by the solver.
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
