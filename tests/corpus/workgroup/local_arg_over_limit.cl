// EXPECT: refuted
// OBLIGATION: local-memory-limit
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N",{"local":"16384*4"}],"global":["roundup(N, 64)"],"local":[64]}]}
// BUG: asks for 64 KiB of __local memory; the default limit is 48 KiB
//
// Correct otherwise (it only uses 64 floats of its buffer).
__kernel void stage(__global const float *x, __global float *y, const int n,
                    __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  tile[lid] = gid < n ? x[gid] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = tile[lid];
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
