// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N",{"local":"64*4"}],"global":["roundup(N, 64)"],"local":[64]}]}
// BUG: no barrier between the __local store and the load of another work-item's slot
// LOCATION: 16:18
// OTHER_LOCATION: 17:13
//
// stage_reversed_block.cl without its barrier: tile[lid] is written by
// work-item 63 - lid and read by work-item lid in one barrier interval.
__kernel void stage(__global const float *x, __global float *y, const int n,
                    __local float *tile) {
  int lid = get_local_id(0);
  int base = get_group_id(0) * get_local_size(0);
  int src = base + 63 - lid;
  tile[63 - lid] = src < n ? x[src] : 0.0f;
  float v = tile[lid];
  int gid = base + lid;
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
