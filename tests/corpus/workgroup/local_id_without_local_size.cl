// EXPECT: unknown
// UNKNOWN_KIND: unsupported
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N"],"global":["roundup(N, 64)"]}]}
// REASON: give "local"
//
// Uses get_local_id, get_group_id and a static __local block, but the
// manifest leaves the work-group size to the driver: unknown, whatever
// size the driver would pick.
__kernel void stage(__global const float *x, __global float *y, const int n) {
  __local float tile[64];
  int lid = get_local_id(0);
  int gid = get_group_id(0) * 64 + lid;
  tile[lid] = gid < n ? x[gid] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = tile[lid];
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
