// Suffix sums: from the last element down.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = N - 1; j >= 0; --j) {
    acc += x[r * N + j];
    y[r * N + j] = acc;
  }
}
