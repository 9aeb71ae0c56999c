// EXPECT: proved
// SPEC: ../specs/rowsum_wg96_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["96*M"],"local":[96]}]}
// LEVEL: rounding
//
// One work-group of 96 per row (not a power of two): each work-item strides
// over the row, then a __local tree for any work-group size, halving the
// active count rounded up (96, 48, 24, 12, 6, 3, 2, 1) with a barrier per
// level. At 50 x 1030 verified by one arbitrary work-group (about 70 s at
// load 8: the solver's memory-safety and overflow queries), the row read
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
    int h = (s + 1) / 2;
    if (lid < s - h)
      part[lid] += part[lid + h];
    barrier(CLK_LOCAL_MEM_FENCE);
    s = h;
  }
  if (lid == 0)
    y[row] = part[0];
}
