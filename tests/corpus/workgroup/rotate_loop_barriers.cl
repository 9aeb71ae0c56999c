// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"rotate","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
//
// Barriers in a loop: the block is rotated by 1, 2, 4, 8 and 16 places
// (31 in all, two barriers per step), so each slot ends one place behind
// where it started; the work-item then reads the slot after its own.
__kernel void rotate(__global const float *x, __global float *y, const int n,
                     __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  tile[lid] = gid < n ? x[gid] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = 1; s < 32; s *= 2) {
    float v = tile[(lid + 32 - s) % 32];
    barrier(CLK_LOCAL_MEM_FENCE);
    tile[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  float v = tile[(lid + 31) % 32];
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
