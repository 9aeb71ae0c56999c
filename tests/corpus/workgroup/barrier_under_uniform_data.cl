// EXPECT: unknown
// UNKNOWN_KIND: unsupported
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_first","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
// REASON: is reached under a data-dependent condition
//
// The barrier depends on x[0], the same for every work-item: not divergent,
// but the scheduler does not split the launch on a uniform data-dependent
// condition, so execution past that barrier is not modelled (unknown, not
// proved, not refuted).
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
