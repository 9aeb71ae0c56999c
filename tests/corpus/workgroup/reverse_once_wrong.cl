// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"rev2","args":["x","y","N"],"global":["roundup(N, 32)"],"local":[32]}]}
// BUG: reads its own slot after reversing the block once: each output takes the mirrored element
//
// Race-free and barrier-correct, but the block comes back reversed.
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
  float v = buf[lid];
  if (gid < n)
    y[gid] = v < 0.0f ? 0.0f : v;
}
