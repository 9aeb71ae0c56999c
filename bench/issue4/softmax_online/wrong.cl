// Online softmax: one pass keeps a running max m and a running sum s of
// exp(x - m); BUG (unscaled running sum): s is not rescaled when the
// max grows.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float m = -INFINITY, s = 0.0f;
  for (int j = 0; j < N; ++j) {
    float mn = fmax(m, p[j]);
    s = s + exp(p[j] - mn);
    m = mn;
  }
  for (int j = 0; j < N; ++j)
    y[r * N + j] = exp(p[j] - m) / s;
}
