// EXPECT: refuted
// OBLIGATION: barrier-divergence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_group_lead","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
// BUG: the condition reads x[base + (lid & 1)], not x[base]: odd and even work-items of a group may take different sides
//
// The twin of uniform_group_data_barrier.cl whose condition is not the
// same for every work-item of the group: when x[base] and x[base + 1]
// differ in sign, half the group waits at one barrier and half at the
// other (the counterexample names two such work-items).
__kernel void relu_group_lead(__global const float *x, __global float *y,
                              const int n, __local float *tile) {
  int lid = get_local_id(0);
  int base = get_group_id(0) * 32;
  int gid = base + lid;
  float v = gid < n ? x[gid] : 0.0f;
  if (x[base + (lid & 1)] < 0.0f) {
    // Exchange: each work-item clamps its mirror's element and hands it
    // back through a second slot.
    tile[31 - lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    float m = tile[lid];
    tile[32 + lid] = m < 0.0f ? 0.0f : m;
    barrier(CLK_LOCAL_MEM_FENCE);
    v = tile[63 - lid];
  } else {
    barrier(CLK_LOCAL_MEM_FENCE);
    v = v < 0.0f ? 0.0f : v;
  }
  if (gid < n)
    y[gid] = v;
}
