// EXPECT: proved
// SPEC: ../specs/rowsum_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["4*M"],"local":[4]}]}
// LEVEL: rounding
//
// One work-group of 4 per row: each work-item strides over the row, then a
// __local tree reduction with a barrier per level. Not the reference's
// left fold, so not within a plain rtol of it on cancelling rows
// (equivalence/rowsum_tree_refuted_under_plain_rtol.cl), but within the
// summation form (|y - ref| <= sum_rtol * sum |x|): proved at level
// rounding by the error-bound polynomials of verify/numerics/SumForm.h.
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
