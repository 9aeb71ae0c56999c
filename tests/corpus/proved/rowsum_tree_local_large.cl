// EXPECT: proved
// SPEC: ../specs/rowsum_tree_128k.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["64*M"],"local":[64]}]}
//
// examples/sum_rows/tree.cl at 2^17 + 3 rows of 1024 (8388800 work-items,
// too many to enumerate): one work-group of 64 per row, each work-item
// strides over the row, then a tree reduction in __local memory with
// barriers. Verified by one arbitrary work-group (symbolic group id, its
// 64 work-items enumerated in lockstep on concrete __local cells), races
// across groups by two arbitrary work-groups; equivalence at level
// rounding (the tree's order is not the reference's left fold).
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
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
}
