// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/cumsum_4m.json
// MANIFEST: {"launches":[{"kernel":"scan","args":["x","y","M","N"],"global":["M"]}]}
// BUG: rows past 300000 leave x[row, N-1] out of their last prefix sum
//
// Right at every shape of at most 300001 rows, so enumeration at small
// shapes passes it; the arbitrary work-item at 2^19 + 1 rows finds a row
// above 300000 whose total y[row, 7] misses x[row, 7].
__kernel void scan(__global const float *x, __global float *y, int M, int N) {
  size_t r = get_global_id(0);
  if (r >= (size_t)M)
    return;
  float s = 0.0f;
  for (int j = 0; j < N; ++j) {
    if (!(r > 300000 && j == N - 1))
      s += x[r * N + j];
    y[r * N + j] = s;
  }
}
