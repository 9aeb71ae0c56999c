// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/rowsum_subgroup.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["32*M"],"local":[32],"sub_group_size":8}]}
// BUG: relies on sub_group_barrier to order the partial sums of other sub-groups (needs a work-group barrier)
//
// subgroup_rowsum_local_tree.cl with its work-group barrier replaced by a
// sub_group_barrier: work-item 0 reads t[8], t[16], t[24], which the other
// sub-groups write with nothing ordering the accesses.
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
  sub_group_barrier(CLK_LOCAL_MEM_FENCE);
  if (lid == 0)
    y[row] = t[0] + t[8] + t[16] + t[24];
}
