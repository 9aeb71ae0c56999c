// One work-item per row. Two passes: mean, then biased variance.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += p[j];
  float mean = s / (float)N;
  float q = 0.0f;
  for (int j = 0; j < N; ++j)
    q += (p[j] - mean) * (p[j] - mean);
  float var = q / (float)N;
  float rstd = 1.0f / sqrt(var + 1e-5f);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = (p[j] - mean) * rstd;
}
