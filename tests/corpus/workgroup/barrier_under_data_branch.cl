// EXPECT: refuted
// OBLIGATION: barrier-divergence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_skip","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
// BUG: only work-items whose element is negative wait at the barrier (data-dependent divergence)
//
// A "skip the exchange when there is nothing to clamp" shortcut: the
// barrier is reached exactly by the work-items with x[gid] < 0, which
// differs between work-items for some inputs (the counterexample).
__kernel void relu_skip(__global const float *x, __global float *y,
                        const int n, __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  float v = gid < n ? x[gid] : 0.0f;
  tile[lid] = v;
  if (v < 0.0f) {
    barrier(CLK_LOCAL_MEM_FENCE);
    v = 0.0f;
  }
  if (gid < n)
    y[gid] = v;
}
