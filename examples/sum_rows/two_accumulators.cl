// Even and odd elements in two accumulators, added at the end: a different
// rounding order, equal over the reals, within the tolerance by the error
// bound.
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  float even = 0.0f, odd = 0.0f;
  int j = 0;
  for (; j + 1 < n; j += 2) {
    even += x[row * n + j];
    odd += x[row * n + j + 1];
  }
  if (j < n)
    even += x[row * n + j];
  y[row] = even + odd;
}
