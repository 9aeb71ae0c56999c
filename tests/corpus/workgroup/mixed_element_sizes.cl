// EXPECT: unknown
// UNKNOWN_KIND: unsupported
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_bytes","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
// REASON: 1-byte accesses to local:arg4
//
// One __local buffer used with 4-byte and 1-byte elements: the executor's
// __local cells take their size from the first access, and a buffer used
// at two sizes is not modelled (unknown).
__kernel void relu_bytes(__global const float *x, __global float *y,
                         const int n, __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  tile[lid] = gid < n ? x[gid] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  __local uchar *bytes = (__local uchar *)tile;
  uchar top = bytes[4 * ((lid + 1) % 32) + 3]; // the neighbour's top byte
  float v = tile[lid];
  if (gid < n)
    y[gid] = top == 0x7f && v != v ? v : (v < 0.0f ? 0.0f : v);
}
