// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_branchy","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
//
// Data-dependent branches before a barrier: each work-item's paths (x < 0,
// x > 100, otherwise) store different values under different conditions,
// then all of them reach the barrier and are merged into one state. The
// mirrored work-item reads the slot after the barrier.
__kernel void relu_branchy(__global const float *x, __global float *y,
                           const int n, __local float *tile) {
  int lid = get_local_id(0);
  int base = get_group_id(0) * 32;
  int src = base + 31 - lid;
  float v = src < n ? x[src] : 0.0f;
  int big = 0;
  if (v < 0.0f) {
    tile[31 - lid] = 0.0f;
  } else {
    tile[31 - lid] = v;
    if (v > 100.0f)
      big = 1;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  float w = tile[lid];
  if (base + lid < n)
    y[base + lid] = big + 1 > 0 ? w : 0.0f;
}
