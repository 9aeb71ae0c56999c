// EXPECT: refuted
// OBLIGATION: barrier-divergence
// SHAPE: {"N": 67}
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 64)"],"local":[64]}]}
// BUG: work-items past N return before the barrier, so the partial last work-group diverges
//
// The usual guard placed too early: at N = 64 every group is full and no
// work-item returns early, but at N = 67 work-items 67..127 return while
// 64..66 wait at the barrier.
__kernel void stage(__global const float *x, __global float *y, const int n,
                    __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  if (gid >= n)
    return;
  tile[lid] = x[gid];
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = tile[lid];
  y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
