// EXPECT: proved
// SPEC: ../specs/hardtanh_2d.json
// MANIFEST: {"launches":[{"kernel":"ids3d","args":["x","y","M","K"],"global":["roundup(K, 4)","roundup(M, 2)",2],"local":[4,2,2]}]}
//
// 3-D work-groups (4 x 2 x 2): the two z-layers of a group split the work.
// Layer z = 1 loads the group's 4 x 2 block into __local memory, layer
// z = 0 clamps it after the barrier. Every id and size query is used in
// all three dimensions (get_num_groups(2) = 1, get_local_size(2) = 2).
__kernel void ids3d(__global const float *x, __global float *y, const int m,
                    const int k) {
  __local float tile[2][4];
  int lx = get_local_id(0), ly = get_local_id(1), lz = get_local_id(2);
  int c = get_group_id(0) * get_local_size(0) + lx;
  int r = get_group_id(1) * get_local_size(1) + ly;
  int layers = get_local_size(2) * get_num_groups(2); // 2
  if (lz == layers - 1 && get_group_id(2) == 0)
    tile[ly][lx] = (r < m && c < k) ? x[r * k + c] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lz == 0 && get_global_id(0) == c && get_global_id(1) == r &&
      r < m && c < k) {
    float v = tile[ly][lx];
    y[r * k + c] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
