// EXPECT: proved
// SPEC: ../specs/group_norm_small.json
// MANIFEST: {"launches":[{"kernel":"group_norm","args":["x","y","C","L"],"global":["2"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
//
// One work-item per group: the group's mean, then its biased variance
// around the mean (two passes), then (x - mean) * rstd.
__kernel void group_norm(__global const float *x, __global float *y, int C,
                         int L) {
  int g = get_global_id(0);
  int n = (C / 2) * L;
  __global const float *r = x + g * n;
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += r[j];
  float mean = s / (float)n;
  float q = 0.0f;
  for (int j = 0; j < n; ++j)
    q += (r[j] - mean) * (r[j] - mean);
  float rstd = 1.0f / sqrt(q / (float)n + 1e-5f);
  for (int j = 0; j < n; ++j)
    y[g * n + j] = (r[j] - mean) * rstd;
}
