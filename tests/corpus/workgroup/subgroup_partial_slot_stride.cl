// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_subgroup.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["32*M"],"local":[32],"sub_group_size":8}]}
// BUG: sub-group id arithmetic assumes sub-groups of 4: the partial sums are read at t[4k], not t[8k]
//
// The sums of sub-groups 0 and 1 sit at t[0] and t[8]; t[4] and t[12] hold
// intermediate values of the trees.
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float t[32];
  int row = get_group_id(0), lid = get_local_id(0);
  uint sl = get_sub_group_local_id();
  t[lid] = x[row * n + lid];
  sub_group_barrier(CLK_LOCAL_MEM_FENCE);
  for (uint s = get_sub_group_size() / 2; s > 0; s >>= 1) {
    if (sl < s)
      t[lid] += t[lid + s];
    sub_group_barrier(CLK_LOCAL_MEM_FENCE);
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lid == 0)
    y[row] = t[0] + t[4] + t[8] + t[12];
}
