// gelu
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = v * 0.5f * (1.0f + erf(v * 0.70710678f));
}
