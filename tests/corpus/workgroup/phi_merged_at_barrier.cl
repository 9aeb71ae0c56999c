// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_phi","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
//
// A value that differs between a work-item's paths (a phi: 0 on the x < 0
// path, x on the other) is live across the barrier: the paths reach the
// barrier separately and their registers are merged (if-then-else on the
// path conditions). One path also stores early to y, before the barrier.
__kernel void relu_phi(__global const float *x, __global float *y,
                       const int n, __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  float b = gid < n ? x[gid] : 0.0f;
  float keep = b;
  if (b < 0.0f) {
    keep = 0.0f;
    tile[lid] = 1.0f;
  } else if (gid < n) {
    y[gid] = b;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  if (gid < n)
    y[gid] = keep;
}
