// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_first","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
//
// The barrier depends on x[0], the same for every work-item: not divergent
// (the solver shows that no two work-items of a group can stop at
// different points), so each group goes on as two whole-group cases,
// x[0] < 0 (every work-item waits at the barrier) and x[0] >= 0 (every
// work-item goes past it), each proved.
__kernel void relu_first(__global const float *x, __global float *y,
                         const int n, __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  float v = gid < n ? x[gid] : 0.0f;
  tile[lid] = v;
  if (x[0] < 0.0f)
    barrier(CLK_LOCAL_MEM_FENCE);
  if (gid < n)
    y[gid] = v < 0.0f ? 0.0f : v;
}
