// EXPECT: proved
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
//
// The accumulator starts at -0.0f where the reference's sum starts at +0.
// At 2^17 columns the loop is summarised; the folds are not equal bit for
// bit (a row of -0 sums to -0 here, +0 in the reference), but they are
// equal up to the sign of zero by induction (-0 + x and +0 + x differ only
// in a zero's sign), which the spec's tolerance does not see: proved, where
// the summary used to give unknown (issue 17).
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  float acc = -0.0f;
  for (int j = 0; j < n; ++j)
    acc += x[r * n + j];
  y[r] = acc;
}
