// EXPECT: proved
// SPEC: ../specs/rowsum_sumform.json
// MANIFEST: {"launches":[{"kernel":"sum_rows","args":["x","y","N"],"global":["M"]}]}
// LEVEL: rounding
//
// One work-item per row, float4 loads into four lane accumulators (a
// blocked, vectorised order), the lanes summed pairwise, then the scalar
// tail: proved under the summation form.
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float4 acc = (float4)(0.0f);
  int j = 0;
  for (; j + 4 <= n; j += 4)
    acc += vload4(0, r + j);
  float s = (acc.x + acc.y) + (acc.z + acc.w);
  for (; j < n; ++j)
    s += r[j];
  y[row] = s;
}
