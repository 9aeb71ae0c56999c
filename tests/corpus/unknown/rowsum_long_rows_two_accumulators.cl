// EXPECT: unknown
// UNKNOWN_KIND: approximation
// REASON: is not the reference's fold
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
//
// Even and odd elements in two accumulators at rows of 2^17: equal to the
// row sum over the reals, but its loop summary (two states, 65536 updates)
// is not the reference's fold, and sums over interleaved index sets are not
// reasoned about yet; no concrete difference exists within the tolerance,
// so the honest answer is unknown (at M=4, N=64 it is enumerated and proved
// at the rounding level).
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  float even = 0.0f, odd = 0.0f;
  for (int j = 0; j + 1 < n; j += 2) {
    even += x[r * n + j];
    odd += x[r * n + j + 1];
  }
  y[r] = even + odd;
}
