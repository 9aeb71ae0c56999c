// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_1m.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
// BUG: rows above 100000 leave out their last element
//
// Wrong only at rows r > 100000, which no small shape has: the arbitrary
// work-item at M = 2^20 finds such a row, and the counterexample is sparse
// (only the elements the row reads are named; the rest take the default).
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  if (r >= (size_t)m)
    return;
  float s = 0.0f;
  for (int j = 0; j < n; ++j) {
    if (r > 100000 && j == n - 1)
      continue;
    s += x[r * n + j];
  }
  y[r] = s;
}
