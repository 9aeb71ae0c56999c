// BUG (off by one: exclusive scan): writes the prefix before adding x[j].
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < N; ++j) {
    y[r * N + j] = acc;
    acc += x[r * N + j];
  }
}
