// BUG (unscaled running sum): online softmax that does not rescale the
// running sum by exp(m_old - m_new) when the running max grows.
__kernel void softmax(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float m = -INFINITY, s = 0.0f;
  for (int j = 0; j < n; ++j) {
    float mn = fmax(m, r[j]);
    s = s + exp(r[j] - mn);
    m = mn;
  }
  for (int j = 0; j < n; ++j)
    y[row * n + j] = exp(r[j] - m) / s;
}
