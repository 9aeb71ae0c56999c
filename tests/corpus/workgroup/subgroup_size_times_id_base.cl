// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["roundup(N, 24)"],"local":[24],"sub_group_size":16}]}
// BUG: a sub-group's first element taken as sub-group id * get_sub_group_size(), wrong for the smaller last sub-group
//
// Work-groups of 24: sub-group 1 has 8 work-items, so its base is 1 * 8
// and it writes y[8..15] of the group, which sub-group 0 writes too.
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_group_id(0) * get_local_size(0) +
          get_sub_group_id() * get_sub_group_size() + get_sub_group_local_id();
  if (i < n) {
    float v = x[i];
    y[i] = v < 0.0f ? 0.0f : v;
  }
}
