// EXPECT: unknown
// SPEC: ../specs/rowsum_subgroup.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["32*M"],"local":[32]}]}
// UNKNOWN_KIND: unsupported
// REASON: give "sub_group_size"
//
// subgroup_rowsum_local_tree.cl without "sub_group_size" in its manifest:
// the sub-group size is the device's choice, never guessed.
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
  if (lid == 0) {
    float acc = 0.0f;
    for (uint k = 0; k < get_num_sub_groups(); ++k)
      acc += t[k * get_max_sub_group_size()];
    y[row] = acc;
  }
}
