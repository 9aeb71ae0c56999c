// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
// SHAPE: {"M": 4, "N": 64}
// BUG: the loop stops one element short (j < n - 1): the last element of every row is never added
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < n - 1; ++j)
    acc += x[r * n + j];
  y[r] = acc;
}
