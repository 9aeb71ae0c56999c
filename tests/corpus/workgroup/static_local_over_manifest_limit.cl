// EXPECT: refuted
// OBLIGATION: local-memory-limit
// SPEC: ../specs/relu.json
// MANIFEST: {"local_mem_bytes":1024,"launches":[{"kernel":"relu_tile","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
// BUG: a static __local float[256] (1024 bytes) plus a 128-byte __local argument exceed the manifest's 1024 bytes
//
// Arguments and static __local variables count together.
__kernel void relu_tile(__global const float *x, __global float *y,
                        const int n, __local float *tile) {
  __local float big[256];
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  big[lid] = gid < n ? x[gid] : 0.0f;
  tile[lid] = 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = big[lid];
  if (gid < n)
    y[gid] = v < 0.0f ? 0.0f : v;
}
