// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/rowsum_tree_128k.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N","M"],"global":["64*M"],"local":[64]}]}
// SHAPE: {"M": 131075, "N": 1024}
// BUG: work-item 1 of every work-group also clears the next row's output, which the next work-group writes: nothing orders two work-groups
//
// Within one work-group nothing is wrong; the race is between work-groups
// g and g + 1, found by two arbitrary work-groups.
__kernel void sum_rows(__global const float *x, __global float *y, int n,
                       int m) {
  __local float part[64];
  int row = get_group_id(0), lid = get_local_id(0);
  float acc = 0.0f;
  for (int j = lid; j < n; j += 64)
    acc += x[row * n + j];
  part[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = 32; s > 0; s >>= 1) {
    if (lid < s)
      part[lid] += part[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0)
    y[row] = part[0];
  if (lid == 1 && row + 1 < m)
    y[row + 1] = 0.0f;
}
