// BUG: alpha (0.5) not applied.
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = v < 0.0f ? expm1(v) : v;
}
