// BUG: the sigmoid approximation x*sigmoid(1.702x).
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = v / (1.0f + exp(-1.702f * v));
}
