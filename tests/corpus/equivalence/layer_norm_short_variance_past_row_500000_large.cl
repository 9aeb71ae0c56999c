// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/layer_norm_4m.json
// MANIFEST: {"launches":[{"kernel":"layer_norm","args":["x","y","M","N"],"global":["M"]}],"fp_contract":false,"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
// BUG: rows past 500000 leave their last element out of the variance
//
// Right at every shape of at most 500001 rows, so enumeration at small
// shapes passes it; the arbitrary work-item at 2^19 + 1 rows finds a row
// above 500000, where the variance misses (x[row, 7] - mean)^2.
__kernel void layer_norm(__global const float *x, __global float *y,
                         const int m, const int n) {
  size_t row = get_global_id(0);
  if (row >= (size_t)m)
    return;
  __global const float *r = x + row * n;
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += r[j];
  float mean = s / (float)n;
  float v = 0.0f;
  for (int j = 0; j < n; ++j) {
    if (row > 500000 && j == n - 1)
      break;
    float d = r[j] - mean;
    v += d * d;
  }
  float rstd = 1.0f / sqrt(v / (float)n + 0.01f);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = (r[j] - mean) * rstd;
}
