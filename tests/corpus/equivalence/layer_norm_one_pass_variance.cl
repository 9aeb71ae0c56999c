// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/layer_norm_offset.json
// MANIFEST: {"launches":[{"kernel":"layer_norm","args":["x","y","N"],"global":["M"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
// BUG: one-pass variance E[x^2] - E[x]^2: catastrophic cancellation for rows of a large constant plus small jitter (precision loss beyond tolerance)
//
// Exact in real arithmetic, and right for rows near zero; for x = 1000 +
// jitter, E[x^2] ~ 1e6 carries an absolute rounding error of ~0.06, as
// large as the variance itself, so the normalised outputs are far off.
__kernel void layer_norm(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float s = 0.0f, q = 0.0f;
  for (int j = 0; j < n; ++j) {
    s += r[j];
    q += r[j] * r[j];
  }
  float mean = s / (float)n;
  float var = q / (float)n - mean * mean;
  float rstd = 1.0f / sqrt(var + 1e-5f);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = (r[j] - mean) * rstd;
}
