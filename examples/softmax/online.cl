// Online softmax: one pass keeps a running max m and a running sum s of
// exp(x - m), rescaling s by exp(m_old - m_new) whenever the max grows.
// m starts at -INFINITY: fmax(-inf, x) = x and exp(-inf - x) = +0 exactly.
__kernel void softmax(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float m = -INFINITY, s = 0.0f;
  for (int j = 0; j < n; ++j) {
    float mn = fmax(m, r[j]);
    s = s * exp(m - mn) + exp(r[j] - mn);
    m = mn;
  }
  for (int j = 0; j < n; ++j)
    y[row * n + j] = exp(r[j] - m) / s;
}
