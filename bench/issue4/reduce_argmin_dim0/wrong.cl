// BUG (off-by-one loop bound): the last row is never considered.
__kernel void k(__global const float *x, __global long *y, int M, int N) {
  int j = get_global_id(0);
  float best = x[j];
  long idx = 0;
  for (int i = 1; i < M - 1; ++i) {
    float v = x[i * N + j];
    int take = !(v >= best);
    best = take ? v : best;
    idx = take ? (long)i : idx;
  }
  y[j] = idx;
}
