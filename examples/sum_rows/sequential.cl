// One work-item per row, summing left to right from +0: the spec's own
// order, so the result is identical bit for bit.
__kernel void sum_rows(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < n; ++j)
    acc += x[row * n + j];
  y[row] = acc;
}
