// EXPECT: proved
// SPEC: ../specs/rowsum_1m.json
// MANIFEST: {"launches":[{"kernel":"rowsum4","args":["x","y","M","N"],"global":["M"]}]}
//
// Row sums at M = 2^20 rows of 64 with four accumulators (j mod 4), added
// pairwise at the end: another summation order than the reference's left
// fold, so not the same term; proved at level "rounding" (both sides are
// the same sum of the 64 reads over the reals, and the forward error bounds
// over the domain [-1000, 1000] fit atol 1e-3 + rtol 1e-4).
__kernel void rowsum4(__global const float *x, __global float *y,
                      const int m, const int n) {
  size_t r = get_global_id(0);
  if (r >= (size_t)m)
    return;
  __global const float *row = x + r * n;
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  for (int j = 0; j < n; j += 4) {
    a0 += row[j];
    a1 += row[j + 1];
    a2 += row[j + 2];
    a3 += row[j + 3];
  }
  y[r] = (a0 + a1) + (a2 + a3);
}
