// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/hardtanh_grid.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["33792"],"local":[256]}]}
// BUG: stride off by one (global size - 1): work-item 0's second element 33791 is also work-item 33791's first
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  for (int i = get_global_id(0); i < n; i += get_global_size(0) - 1) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
