// EXPECT: proved
// SPEC: ../specs/rowsum_1m.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
//
// Row sums y[r] = sum_j x[r, j] at M = 2^20 (and 2^20 + 3) rows of 64: one
// work-item per row, one arbitrary symbolic work-item. The reference element
// at the symbolic flat index r is the semantics table's left fold from +0
// over x[r*64 + 0 .. 63] read from the input array: this kernel sums in the
// same order, so its store is the same term (level structural).
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  if (r >= (size_t)m)
    return;
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += x[r * n + j];
  y[r] = s;
}
