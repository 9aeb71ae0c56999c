// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["4*M"],"local":[4]}]}
// BUG: dropped term: the strided loop stops one element early (j < n - 1), so x[row, n-1] is never added; no sum_rtol < 1 covers a missing term
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[4];
  int row = get_group_id(0), lid = get_local_id(0);
  float acc = 0.0f;
  for (int j = lid; j < n - 1; j += 4)
    acc += x[row * n + j];
  part[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = 2; s > 0; s >>= 1) {
    if (lid < s)
      part[lid] += part[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0)
    y[row] = part[0];
}
