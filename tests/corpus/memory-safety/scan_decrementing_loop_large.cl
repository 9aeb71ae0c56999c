// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/cumsum_4m.json
// MANIFEST: {"launches":[{"kernel":"scan","args":["x","y","M","N"],"global":["M"]}]}
// BUG: j++ turned into j--: the running prefix loop runs away below the row; its second iteration reads and writes element r*N - 1 (out of bounds for row 0) and it never ends
//
// A violation on a path is certain whatever the path does later: refuted
// with the out-of-bounds access while the runaway loop is still running
// (one arbitrary work-item at 2^19 + 1 rows), not unknown at the unroll
// bound or the deadline (issue 17).
__kernel void scan(__global const float *x, __global float *y, int M, int N) {
  size_t r = get_global_id(0);
  if (r >= (size_t)M)
    return;
  float s = 0.0f;
  for (int j = 0; j < N; --j) {
    s += x[r * N + j];
    y[r * N + j] = s;
  }
}
