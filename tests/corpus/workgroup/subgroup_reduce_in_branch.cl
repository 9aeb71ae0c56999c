// EXPECT: refuted
// OBLIGATION: barrier-divergence
// SPEC: ../specs/rowsum_subgroup.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["32*M"],"local":[32],"sub_group_size":8}]}
// BUG: sub_group_reduce_add called by half of each sub-group only (a collective every work-item of the sub-group must reach)
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local int part[4];
  int row = get_group_id(0), lid = get_local_id(0);
  int v = x[row * n + lid] > 0.0f;
  if (get_sub_group_local_id() < 4)
    v = sub_group_reduce_add(v);
  if (get_sub_group_local_id() == 0)
    part[get_sub_group_id()] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lid == 0)
    y[row] = part[0] + part[1] + part[2] + part[3];
}
