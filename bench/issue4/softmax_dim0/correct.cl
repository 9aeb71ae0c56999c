// One work-item per element (j, i) of a [M, N] input. Normalises down column j.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  float m = -INFINITY, s = 0.0f;
  for (int t = 0; t < M; ++t)
    m = fmax(m, x[t * N + j]);
  for (int t = 0; t < M; ++t)
    s += exp(x[t * N + j] - m);
  y[i * N + j] = exp(x[i * N + j] - m) / s;
}
