// EXPECT: refuted
// OBLIGATION: local-memory-limit
// SPEC: ../specs/rowsum_tree_128k.json
// MANIFEST: {"local_mem_bytes":128,"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["64*M"],"local":[64]}]}
// BUG: the tree reduction's __local float[64] (256 bytes) exceeds the manifest's 128 bytes, at 2^17 + 3 rows (one arbitrary work-group method)
//
// The limit is a property of the launch, not of the data: refuted at the
// deployment shape with any input (sparse: every element 0).
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
