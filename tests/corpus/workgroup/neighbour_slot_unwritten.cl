// EXPECT: refuted
// OBLIGATION: uninitialized-read
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage","args":["x","y","N",{"local":"65*4"}],"global":["roundup(N, 64)"],"local":[64]}]}
// BUG: the last work-item of each group peeks at tile[64], which no work-item writes
//
// A "run reuse" peek at the next slot (its value is used only when its bits
// equal this one's, so y is right whatever tile[64] holds), but tile[64]
// is fresh __local memory: reading it is reading uninitialised memory.
__kernel void stage(__global const float *x, __global float *y, const int n,
                    __local float *tile) {
  int lid = get_local_id(0);
  int gid = get_global_id(0);
  tile[lid] = gid < n ? x[gid] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = tile[lid];
  float w = tile[lid + 1];
  v = as_uint(w) == as_uint(v) ? w : v;
  if (gid < n)
    y[gid] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
