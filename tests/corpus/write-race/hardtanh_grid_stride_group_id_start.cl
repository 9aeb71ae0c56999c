// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/hardtanh_grid.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["33792"],"local":[256]}]}
// BUG: loop starts at the group id instead of the global id: the 256 work-items of a group write the same elements
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  for (int i = get_group_id(0); i < n; i += get_global_size(0)) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
