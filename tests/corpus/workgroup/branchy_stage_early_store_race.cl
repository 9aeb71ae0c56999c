// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu_branchy","args":["x","y","N",{"local":"32*4"}],"global":["roundup(N, 32)"],"local":[32]}]}
// BUG: for inputs over 100 a work-item also stores its loaded element to y, which the mirrored work-item writes too
//
// branchy_stage_merge.cl with an "early out" for large values: the store
// is right in value but lands on another work-item's output element, a
// write-write race that happens only for some inputs.
__kernel void relu_branchy(__global const float *x, __global float *y,
                           const int n, __local float *tile) {
  int lid = get_local_id(0);
  int base = get_group_id(0) * 32;
  int src = base + 31 - lid;
  float v = src < n ? x[src] : 0.0f;
  if (v < 0.0f) {
    tile[31 - lid] = 0.0f;
  } else {
    tile[31 - lid] = v;
    if (v > 100.0f && src < n)
      y[src] = v;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  float w = tile[lid];
  if (base + lid < n)
    y[base + lid] = w;
}
