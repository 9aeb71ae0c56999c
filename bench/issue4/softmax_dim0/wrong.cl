// One work-item per element (j, i) of a [M, N] input. BUG (wrong reduction dim): normalises along row i.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  float m = -INFINITY, s = 0.0f;
  for (int t = 0; t < N; ++t)
    m = fmax(m, x[i * N + t]);
  for (int t = 0; t < N; ++t)
    s += exp(x[i * N + t] - m);
  y[i * N + j] = exp(x[i * N + j] - m) / s;
}
