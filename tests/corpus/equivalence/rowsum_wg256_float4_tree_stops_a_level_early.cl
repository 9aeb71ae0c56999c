// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_wg_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["256*M"],"local":[256]}]}
// BUG: the tree stops one level early (s > 1 for s > 0): part[1], the partial sum of half the work-items' last level, is never added
//
// proved/rowsum_wg256_float4_tree.cl with the loop bound off by one.
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[256];
  int row = get_group_id(0), lid = get_local_id(0);
  __global const float *r = x + (size_t)row * n;
  int n4 = n / 4;
  float acc = 0.0f;
  for (int j = lid; j < n4; j += 256) {
    float4 v = vload4(j, r);
    acc += (v.x + v.y) + (v.z + v.w);
  }
  for (int j = 4 * n4 + lid; j < n; j += 256)
    acc += r[j];
  part[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = 128; s > 1; s >>= 1) {
    if (lid < s)
      part[lid] += part[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0)
    y[row] = part[0];
}
