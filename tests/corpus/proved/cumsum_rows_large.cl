// EXPECT: proved
// SPEC: ../specs/cumsum_4m.json
// MANIFEST: {"launches":[{"kernel":"scan","args":["x","y","M","N"],"global":["M"]}]}
//
// Inclusive prefix sums along rows of 8 at 2^19 + 1 rows (4194312
// outputs), one work-item per row storing every prefix: one arbitrary
// work-item. The reference element at a store's flat index row * 8 + j is
// the scan of its row at position j = index mod 8, which is the store's
// constant j for every value of the row (the low bits of row * 8 + j), so
// the reference is the left fold of x[row, 0..j] from +0, the kernel's
// running sum: the same term once reads of one element are one leaf.
__kernel void scan(__global const float *x, __global float *y, int M, int N) {
  size_t r = get_global_id(0);
  if (r >= (size_t)M)
    return;
  float s = 0.0f;
  for (int j = 0; j < N; ++j) {
    s += x[r * N + j];
    y[r * N + j] = s;
  }
}
