// BUG: a cubic Taylor polynomial (precision loss beyond tolerance).
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = 1.0f + v + v * v * 0.5f + v * v * v * (1.0f / 6.0f);
}
