// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_tree_128k_short.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["64*M"],"local":[64]}]}
// SHAPE: {"M": 131075, "N": 256}
// BUG: work-groups (rows) above 100000 leave out the last element of their row
//
// Wrong only in work-groups whose id exceeds 100000, which no small shape
// has: the arbitrary work-group finds one, and the counterexample is
// sparse (only the elements its row reads are named).
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[64];
  int row = get_group_id(0), lid = get_local_id(0);
  int len = get_group_id(0) > 100000 ? n - 1 : n;
  float acc = 0.0f;
  for (int j = lid; j < len; j += 64)
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
