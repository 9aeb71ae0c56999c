// EXPECT: refuted
// OBLIGATION: barrier-divergence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 64)"],"local":[64]}]}
// BUG: the barrier sits inside if (lid < 32): half of every work-group never reaches it
// LOCATION: 16:5
//
// The other half skips the barrier and returns; barrier divergence is
// undefined behaviour in OpenCL (GPUs hang or skip it), whatever the data.
__kernel void stage(__global const float *x, __global float *y, const int n,
                    __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  tile[lid] = gid < n ? x[gid] : 0.0f;
  if (lid < 32)
    barrier(CLK_LOCAL_MEM_FENCE);
  float v = tile[lid];
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
