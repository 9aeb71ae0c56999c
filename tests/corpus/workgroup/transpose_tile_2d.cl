// EXPECT: proved
// SPEC: ../specs/hardtanh_2d.json
// MANIFEST: {"launches":[{"kernel":"tile2d","args":["x","y","M","K"],"global":["roundup(K, 4)","roundup(M, 4)"],"local":[4,4]}]}
//
// 2-D work-groups of 4x4: each work-item loads the transposed position of
// its tile into __local memory, and after the barrier reads back the
// element at its own position (written by its mirror work-item). Partial
// tiles at the edges (M = 5, K = 13) load 0 and store nothing.
__kernel void tile2d(__global const float *x, __global float *y, const int m,
                     const int k) {
  __local float tile[4][4];
  int lx = get_local_id(0), ly = get_local_id(1);
  int c0 = get_group_id(0) * get_local_size(0);
  int r0 = get_group_id(1) * get_local_size(1);
  int sc = c0 + ly, sr = r0 + lx; // the transposed element
  tile[lx][ly] = (sr < m && sc < k) ? x[sr * k + sc] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  float v = tile[ly][lx];
  int c = c0 + lx, r = r0 + ly;
  if (r < m && c < k)
    y[r * k + c] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
