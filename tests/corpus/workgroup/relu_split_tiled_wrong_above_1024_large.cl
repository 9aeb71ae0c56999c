// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu_4m.json
// MANIFEST: {"launches":[{"kernel":"relu_split","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
// SHAPE: {"N": 4194371}
// BUG: work-groups from 1024 on store their neighbour's element (tile[(lid + 1) % 32]) instead of their own
//
// The twin of relu_split_tiled_large.cl whose second side (groups 1024 and
// above, reached only at the large shape) reads the wrong __local slot:
// proved at N = 67, where no group takes that side, and refuted at
// N = 4194371 in the whole-group case grp >= 1024.
__kernel void relu_split(__global const float *x, __global float *y,
                         const int n, __local float *tile) {
  int lid = get_local_id(0);
  int grp = get_group_id(0);
  int gid = grp * 32 + lid;
  float v = gid < n ? x[gid] : 0.0f;
  if (grp < 1024) {
    // Mirror exchange: each work-item clamps its mirror's element and
    // hands it back through a second slot (two barriers).
    tile[31 - lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    float m = tile[lid];
    tile[32 + lid] = m < 0.0f ? 0.0f : m;
    barrier(CLK_LOCAL_MEM_FENCE);
    v = tile[63 - lid];
  } else {
    // Straight staging (one barrier).
    tile[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    float m = tile[(lid + 1) % 32];
    v = m < 0.0f ? 0.0f : m;
  }
  if (gid < n)
    y[gid] = v;
}
