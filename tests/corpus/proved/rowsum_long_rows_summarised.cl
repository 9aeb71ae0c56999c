// EXPECT: proved
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
//
// Row sums at 8192 rows of 2^17 (2^30 input elements): one arbitrary
// work-item, and its loop of 131072 iterations summarised as a fold (run
// once at an arbitrary iteration, trip count proved) that equals the
// reference's left fold by induction: same trip count, same initial +0,
// same update acc + x[r*n + k] at every k. Unrolled, the loop would pass
// the unroll bound.
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < n; ++j)
    acc += x[r * n + j];
  y[r] = acc;
}
