// Welford's one-pass mean and variance, then the affine transform. At eps 1e-5: BUG (precision loss beyond the tolerance): the
// running mean differs from sum / N by ulps, amplified by rstd ~ 316.
__kernel void k(__global const float *x, __global const float *w,
                __global const float *b, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float mean = 0.0f, m2 = 0.0f;
  for (int j = 0; j < N; ++j) {
    float d = p[j] - mean;
    mean += d / (float)(j + 1);
    m2 += d * (p[j] - mean);
  }
  float rstd = 1.0f / sqrt(m2 / (float)N + 1e-5f);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = (p[j] - mean) * rstd * w[j] + b[j];
}
