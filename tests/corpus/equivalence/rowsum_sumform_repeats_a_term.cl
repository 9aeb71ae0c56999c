// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["M"]}]}
// BUG: repeated term: the float4-blocked sum's scalar tail restarts one element before the end of the last block (j - 1), so x[row, 7] is added twice; no sum_rtol < 1 covers a repeated term
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float4 acc = (float4)(0.0f);
  int j = 0;
  for (; j + 4 <= n; j += 4)
    acc += vload4(0, r + j);
  float s = (acc.x + acc.y) + (acc.z + acc.w);
  for (j = j - 1; j < n; ++j)
    s += r[j];
  y[row] = s;
}
