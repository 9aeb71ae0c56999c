// BUG: broadcasts along the wrong dim (bias indexed by the row).
__kernel void k(__global const float *x, __global const float *b,
                __global float *y, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  y[i * N + j] = x[i * N + j] + b[i];
}
