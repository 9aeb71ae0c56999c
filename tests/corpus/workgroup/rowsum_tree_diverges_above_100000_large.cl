// EXPECT: refuted
// OBLIGATION: barrier-divergence
// SPEC: ../specs/rowsum_tree_128k.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["64*M"],"local":[64]}]}
// SHAPE: {"M": 131075, "N": 1024}
// BUG: in work-groups above 100000 the work-items of the upper half return before the tree's barriers
//
// Barrier divergence only in work-groups whose id exceeds 100000: the
// condition mentions the arbitrary work-group's id.
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[64];
  int row = get_group_id(0), lid = get_local_id(0);
  float acc = 0.0f;
  for (int j = lid; j < n; j += 64)
    acc += x[row * n + j];
  part[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (row > 100000 && lid >= 32)
    return;
  for (int s = 32; s > 0; s >>= 1) {
    if (lid < s)
      part[lid] += part[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0)
    y[row] = part[0];
}
