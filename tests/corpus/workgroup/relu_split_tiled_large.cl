// EXPECT: proved
// SPEC: ../specs/relu_4m.json
// MANIFEST: {"launches":[{"kernel":"relu_split","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
//
// The first 1024 work-groups clamp through a mirror exchange in __local
// memory (two barriers), the others through a straight one (one barrier):
// the condition is on the group id, the same for every work-item of a
// group, and the sides' barriers are different program points.
// At N = 67 the group ids are concrete (every group takes the first
// side); at N = 4194371 (131075 groups of 32, the last partial) one
// arbitrary work-group with a symbolic id is verified, split into two
// whole-group cases, grp < 1024 and grp >= 1024.
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
    float m = tile[lid];
    v = m < 0.0f ? 0.0f : m;
  }
  if (gid < n)
    y[gid] = v;
}
