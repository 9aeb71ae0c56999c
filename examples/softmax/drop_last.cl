// BUG: the normalising sum leaves out the last element of the row.
__kernel void softmax(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float m = r[0];
  for (int j = 1; j < n; ++j)
    m = r[j] > m ? r[j] : m;
  float s = 0.0f;
  for (int j = 0; j < n - 1; ++j)
    s += exp(r[j] - m);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = exp(r[j] - m) / s;
}
