// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"temporaries":{"tmp":{"dtype":"float32","size":"roundup(N, 16)"}},"launches":[{"kernel":"exchange","args":["x","a","b","tmp","y","N"],"global":["roundup(N, 16)"],"local":[16]}],"fp_contract":false}
// BUG: exchanges through global memory behind a barrier that fences only __local memory
//
// global_exchange_in_group.cl with barrier(CLK_LOCAL_MEM_FENCE): OpenCL 1.2
// does not order the global accesses of different work-items across it.
__kernel void exchange(__global const float *x, const float a, const float b,
                       __global float *t, __global float *y, const int n) {
  int lid = get_local_id(0);
  int base = get_group_id(0) * 16;
  int src = base + 15 - lid;
  t[src] = src < n ? x[src] * a + b : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = t[base + lid];
  if (base + lid < n)
    y[base + lid] = v < 0.0f ? 0.0f : v;
}
