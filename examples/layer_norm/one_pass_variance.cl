// BUG (precision loss beyond tolerance): the variance as E[x^2] - E[x]^2.
// Equal to the variance over the reals, but near 1000 the two terms are
// about 1e6 and cancel: float32 loses every digit of a variance below 1,
// even its sign (sqrt of a negative value is NaN).
__kernel void layer_norm(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float s = 0.0f, s2 = 0.0f;
  for (int j = 0; j < n; ++j) {
    s += r[j];
    s2 += r[j] * r[j];
  }
  float mean = s / (float)n;
  float var = s2 / (float)n - mean * mean;
  float rstd = 1.0f / sqrt(var + 1.0f);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = (r[j] - mean) * rstd;
}
