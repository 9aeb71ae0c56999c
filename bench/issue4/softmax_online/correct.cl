// Online softmax: one pass keeps a running max m and a running sum s of
// exp(x - m); s is rescaled by exp(m_old - m_new) whenever the max grows.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float m = -INFINITY, s = 0.0f;
  for (int j = 0; j < N; ++j) {
    float mn = fmax(m, p[j]);
    s = s * exp(m - mn) + exp(p[j] - mn);
    m = mn;
  }
  for (int j = 0; j < N; ++j)
    y[r * N + j] = exp(p[j] - m) / s;
}
