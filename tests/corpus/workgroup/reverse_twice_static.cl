// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"rev2","args":["x","y","N"],"global":["roundup(N, 32)"],"local":[32]}]}
//
// A static __local block is reversed in place and reversed back (three
// barriers: after the load, between reading the mirrored slot and
// overwriting its own, and before the second mirrored read), then relu.
__kernel void rev2(__global const float *x, __global float *y, const int n) {
  __local float buf[32];
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  buf[lid] = gid < n ? x[gid] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float r = buf[31 - lid];
  barrier(CLK_LOCAL_MEM_FENCE);
  buf[lid] = r;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = buf[31 - lid];
  if (gid < n)
    y[gid] = v < 0.0f ? 0.0f : v;
}
