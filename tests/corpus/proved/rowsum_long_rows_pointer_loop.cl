// EXPECT: proved
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
//
// The row walked by a pointer (a pointer induction variable compared with
// the row's end): summarised with the trip count proved from the pointers'
// offsets, then equal to the reference's fold by induction.
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  float acc = 0.0f;
  for (__global const float *p = x + r * n; p < x + (r + 1) * n; ++p)
    acc += *p;
  y[r] = acc;
}
