// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/rowsum_wg_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["256*M"],"local":[256]}]}
// BUG: no barrier between the tree's levels: a work-item reads part[lid + s] while its owner may still be adding into it
//
// proved/rowsum_wg256_float4_tree.cl without the barrier per level.
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
  for (int s = 128; s > 0; s >>= 1) {
    if (lid < s)
      part[lid] += part[lid + s];
  }
  if (lid == 0)
    y[row] = part[0];
}
