__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 1.0f;
  for (int j = 0; j < N; ++j)
    acc *= x[r * N + j];
  y[r] = acc;
}
