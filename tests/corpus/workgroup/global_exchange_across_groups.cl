// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"temporaries":{"tmp":{"dtype":"float32","size":"roundup(N, 16)"}},"launches":[{"kernel":"exchange","args":["x","a","b","tmp","y","N"],"global":["roundup(N, 16)"],"local":[16]}],"fp_contract":false}
// BUG: reads an element another work-group writes; a barrier orders nothing across groups
//
// Every work-item writes its own element of t, then (after a global-fence
// barrier) reads the element 16 places on, which the next work-group
// writes. Groups run in any order, so this is a race, barrier or not.
__kernel void exchange(__global const float *x, const float a, const float b,
                       __global float *t, __global float *y, const int n) {
  int gid = get_global_id(0);
  int m = get_global_size(0);
  int src = (gid + 16) % m;
  t[src] = src < n ? x[src] * a + b : 0.0f;
  barrier(CLK_GLOBAL_MEM_FENCE);
  float v = t[gid];
  if (gid < n)
    y[gid] = v < 0.0f ? 0.0f : v;
}
