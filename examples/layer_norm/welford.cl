// Welford's one-pass mean and variance: mean += (x - mean) / k and
// M2 += (x - mean_old) * (x - mean_new); the same rational function of the
// row as the two-pass mean and biased variance.
__kernel void layer_norm(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float mean = 0.0f, m2 = 0.0f;
  for (int j = 0; j < n; ++j) {
    float d = r[j] - mean;
    mean += d / (float)(j + 1);
    m2 += d * (r[j] - mean);
  }
  float rstd = 1.0f / sqrt(m2 / (float)n + 1.0f);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = (r[j] - mean) * rstd;
}
