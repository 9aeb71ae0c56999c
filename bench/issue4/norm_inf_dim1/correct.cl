// max |x|, NaN propagating.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float m = fabs(x[r * N]);
  for (int j = 1; j < N; ++j) {
    float a = fabs(x[r * N + j]);
    m = (isnan(m) || a <= m) ? m : a;
  }
  y[r] = m;
}
