// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 64)"],"local":[64]}]}
//
// Stages x through a __local argument with a barrier: work-item lid loads
// element 63 - lid of its group's block, so every element a work-item
// clamps was loaded by another work-item. The last group is partial at
// N = 67 (work-items past N load 0 and store nothing).
__kernel void stage(__global const float *x, __global float *y, const int n,
                    __local float *tile) {
  int lid = get_local_id(0);
  int base = get_group_id(0) * get_local_size(0);
  int src = base + 63 - lid;
  tile[63 - lid] = src < n ? x[src] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = tile[lid];
  int gid = base + lid;
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
