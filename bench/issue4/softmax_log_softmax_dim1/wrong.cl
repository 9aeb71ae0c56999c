// BUG (no max subtraction): x - log(sum exp(x)); exp(100) overflows, so a
// row holding 100 gives -inf outputs.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += exp(p[j]);
  float ls = log(s);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = p[j] - ls;
}
