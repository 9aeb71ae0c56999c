// EXPECT: proved
// SPEC: ../specs/rowmax_subgroup.json
// MANIFEST: {"launches":[{"kernel":"max_rows","args":["x","y","N"],"global":["4*M"],"local":[4],"sub_group_size":2}]}
//
// sub_group_reduce_max (float: fmax's semantics, the order of a +0/-0 tie
// left open, which the spec's ignore_zero_sign accepts) in each sub-group
// of 2, the two maxima through __local memory behind a work-group barrier.
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void max_rows(__global const float *x, __global float *y, int n) {
  __local float part[2];
  int row = get_group_id(0), lid = get_local_id(0);
  float m = sub_group_reduce_max(x[row * n + lid]);
  if (get_sub_group_local_id() == 0)
    part[get_sub_group_id()] = m;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lid == 0)
    y[row] = fmax(part[0], part[1]);
}
