// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 64)"],"local":[64]}]}
// BUG: barrier(0) synchronises execution but fences no memory: the __local exchange is not ordered
//
// stage_reversed_block.cl with barrier(0) instead of
// barrier(CLK_LOCAL_MEM_FENCE).
__kernel void stage(__global const float *x, __global float *y, const int n,
                    __local float *tile) {
  int lid = get_local_id(0);
  int base = get_group_id(0) * get_local_size(0);
  int src = base + 63 - lid;
  tile[63 - lid] = src < n ? x[src] : 0.0f;
  barrier(0);
  float v = tile[lid];
  int gid = base + lid;
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
