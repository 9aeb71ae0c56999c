// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
// SHAPE: {"M": 8192, "N": 131072}
// BUG: rows longer than 100000 loop to j <= n: one element past the row (past the buffer for the last row)
//
// The loop is summarised: its body runs once at an arbitrary iteration k
// below the proved trip count (n + 1 here), so the read at k = n is one of
// the reads the bounds obligation covers.
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  int last = n > 100000 ? n : n - 1;
  float acc = 0.0f;
  for (int j = 0; j <= last; ++j)
    acc += x[r * n + j];
  y[r] = acc;
}
