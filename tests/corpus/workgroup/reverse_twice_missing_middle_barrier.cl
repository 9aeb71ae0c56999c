// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"rev2","args":["x","y","N"],"global":["roundup(N, 32)"],"local":[32]}]}
// BUG: overwrites its own slot while the mirrored work-item may still read it (no barrier between)
//
// reverse_twice_static.cl without the barrier between reading buf[31 - lid]
// and writing buf[lid]: a write-after-read race inside one interval.
__kernel void rev2(__global const float *x, __global float *y, const int n) {
  __local float buf[32];
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  buf[lid] = gid < n ? x[gid] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float r = buf[31 - lid];
  buf[lid] = r;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = buf[31 - lid];
  if (gid < n)
    y[gid] = v < 0.0f ? 0.0f : v;
}
