// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/group_norm_small.json
// MANIFEST: {"launches":[{"kernel":"group_norm","args":["x","y","C","L"],"global":["C"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
// BUG: statistics per channel instead of per group of 2 channels (instance norm): right only where both channels of a group have the same mean and variance
__kernel void group_norm(__global const float *x, __global float *y, int C,
                         int L) {
  int c = get_global_id(0);
  __global const float *r = x + c * L;
  float s = 0.0f;
  for (int j = 0; j < L; ++j)
    s += r[j];
  float mean = s / (float)L;
  float q = 0.0f;
  for (int j = 0; j < L; ++j)
    q += (r[j] - mean) * (r[j] - mean);
  float rstd = 1.0f / sqrt(q / (float)L + 1e-5f);
  for (int j = 0; j < L; ++j)
    y[c * L + j] = (r[j] - mean) * rstd;
}
