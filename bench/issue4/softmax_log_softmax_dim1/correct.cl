__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float m = p[0];
  for (int j = 1; j < N; ++j)
    m = fmax(m, p[j]);
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += exp(p[j] - m);
  float ls = log(s);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = (p[j] - m) - ls;
}
