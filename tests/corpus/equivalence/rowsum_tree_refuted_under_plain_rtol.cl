// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_plain_rtol.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["4*M"],"local":[4]}]}
// BUG: none in the kernel: proved/rowsum_sumform_local_tree.cl's correct tree sum, refuted under a plain rtol (1e-5 * |ref|) on a cancelling row, where the tree's rounding differs from the left fold's by more than rtol * |ref|; the summation form of the same size proves it
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[4];
  int row = get_group_id(0), lid = get_local_id(0);
  float acc = 0.0f;
  for (int j = lid; j < n; j += 4)
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
