// One work-item per row, the spec's order: a loop summary.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  size_t r = get_global_id(0);
  int end = N;
  float acc = 0.0f;
  for (int j = 0; j < end; ++j)
    acc += x[r * N + j];
  y[r] = acc;
}
