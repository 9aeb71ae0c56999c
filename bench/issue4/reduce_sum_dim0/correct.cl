// One work-item per column, summing down the column from +0.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  int j = get_global_id(0);
  float acc = 0.0f;
  for (int i = 0; i < M; ++i)
    acc += x[i * N + j];
  y[j] = acc;
}
