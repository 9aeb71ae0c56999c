// EXPECT: unknown
// SPEC: ../specs/rowsum_subgroup.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["32*M"],"local":[32],"sub_group_size":8}]}
// UNKNOWN_KIND: approximation
//
// sub_group_reduce_add on floats adds in an order the implementation
// chooses: over 8 work-items it is an arbitrary value (no bound is used),
// so neither a proof nor a refutation.
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[4];
  int row = get_group_id(0), lid = get_local_id(0);
  float s = sub_group_reduce_add(x[row * n + lid]);
  if (get_sub_group_local_id() == 0)
    part[get_sub_group_id()] = s;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lid == 0)
    y[row] = part[0] + part[1] + part[2] + part[3];
}
