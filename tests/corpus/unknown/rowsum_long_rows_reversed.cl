// EXPECT: unknown
// UNKNOWN_KIND: approximation
// REASON: is not the reference's fold
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
//
// The row summed from its last element: the same real sum in another
// rounding order. Its summary's update reads x[r*n + n-1-k] where the
// reference's reads x[r*n + k], so they are not equal by induction; no
// one-element or uniform input shows a difference, and a worst-case bound
// for 2^17 terms exceeds the tolerance: unknown at the large shape (proved
// at M=4, N=64 by the rounding level).
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  float acc = 0.0f;
  for (int j = n - 1; j >= 0; --j)
    acc += x[r * n + j];
  y[r] = acc;
}
