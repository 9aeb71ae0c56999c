__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  v = v < -1.0f ? -1.0f : v;
  y[i] = 2.0f < v ? 2.0f : v;
}
