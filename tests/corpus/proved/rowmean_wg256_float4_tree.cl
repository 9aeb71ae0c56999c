// EXPECT: proved
// SPEC: ../specs/rowmean_wg_sumform.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["256*M"],"local":[256]}]}
// LEVEL: rounding
//
// One work-group of 256 per row, as a GPU performance engineer writes it:
// float4 loads (vload4) with a scalar tail, one partial sum per work-item,
// then a __local tree with a barrier per level. At 4096 x 8192 verified by
// one arbitrary work-group; the row is read as a linear sum over its 8192
// elements (verify/numerics/LinearSum.h) and its error bounds fit the
// summation form (sum_rtol 1e-3 >= 2 gamma_8192) at level rounding.
// The mean: the row's sum divided by n (correctly rounded division, as
// the build option asks; OpenCL's default division is within 2.5 ulp).
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
    y[row] = part[0] / n;
}
