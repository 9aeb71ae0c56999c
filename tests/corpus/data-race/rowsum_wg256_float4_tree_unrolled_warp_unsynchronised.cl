// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/rowsum_wg_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["256*M"],"local":[256]}]}
// BUG: the last warp unrolled without volatile or barriers: OpenCL does not run 32 work-items in lockstep, so part[lid + 16] may be read before its owner wrote it
//
// proved/rowsum_wg256_float4_tree.cl with the CUDA-style last-warp unroll.
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  __local float part[256];
  int row = get_group_id(0), lid = get_local_id(0);
  __global const float *r = x + (size_t)row * n;
  int n4 = n / 4;
  float acc = 0.0f;
  for (int j = lid; j < n4; j += 256) {
    float4 v = vload4(j, r);
    acc += (v.x + v.y) + (v.z + v.w);
  }
  for (int j = 4 * n4 + lid; j < n; j += 256)
    acc += r[j];
  part[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = 128; s > 32; s >>= 1) {
    if (lid < s)
      part[lid] += part[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid < 32) { // "one warp: no barrier needed" (not in OpenCL)
    part[lid] += part[lid + 32];
    part[lid] += part[lid + 16];
    part[lid] += part[lid + 8];
    part[lid] += part[lid + 4];
    part[lid] += part[lid + 2];
    part[lid] += part[lid + 1];
  }
  if (lid == 0)
    y[row] = part[0];
}
