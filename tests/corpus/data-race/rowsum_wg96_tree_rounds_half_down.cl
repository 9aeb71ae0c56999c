// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/rowsum_wg96_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["96*M"],"local":[96]}]}
// BUG: halves the active count rounding down (s / 2, the power-of-two habit): at the odd count 3, work-item 1 adds part[2] into part[1] while work-item 0 reads part[1] in the same level
//
// proved/rowsum_wg96_tree_any_size_large.cl with the power-of-two habit s / 2.
// One work-group of 96 per row (not a power of two): each work-item strides
// over the row, then a __local tree for any work-group size, halving the
// active count rounded up (96, 48, 24, 12, 6, 3, 2, 1) with a barrier per
// level. At 50 x 1030 verified by one arbitrary work-group, the row read
// as a linear sum (verify/numerics/LinearSum.h) under the summation form.
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[96];
  int row = get_group_id(0), lid = get_local_id(0);
  int size = get_local_size(0);
  float acc = 0.0f;
  for (int j = lid; j < n; j += size)
    acc += x[(size_t)row * n + j];
  part[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = size; s > 1;) {
    int h = s / 2;
    if (lid < s - h)
      part[lid] += part[lid + h];
    barrier(CLK_LOCAL_MEM_FENCE);
    s = h;
  }
  if (lid == 0)
    y[row] = part[0];
}
