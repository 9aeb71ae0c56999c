// BUG: fmax drops a NaN (fmax(NaN, 2) = 2); the spec propagates it.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float m = fabs(x[r * N]);
  for (int j = 1; j < N; ++j)
    m = fmax(m, fabs(x[r * N + j]));
  y[r] = m;
}
