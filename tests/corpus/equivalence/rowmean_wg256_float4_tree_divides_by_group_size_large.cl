// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowmean_wg_sumform_large.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["256*M"],"local":[256]}]}
// BUG: divides by the work-group size (256) instead of the row length n
//
// equivalence/rowmean_wg256_float4_tree_divides_by_group_size.cl at the
// deployment shape 4096 x 8192: one arbitrary work-group reads the row as
// a linear sum whose every coefficient is 1/256 where the reference's is
// 1/8192; refuted by one element set to 1 (verify/methods/SymbolicSumForm.cpp).
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
  for (int s = 128; s > 0; s >>= 1) {
    if (lid < s)
      part[lid] += part[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0)
    y[row] = part[0] / 256;
}
