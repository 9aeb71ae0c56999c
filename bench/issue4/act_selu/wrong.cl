// BUG: negative branch misses the scale.
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = v < 0.0f ? expm1(v) * 1.6732632f : v * 1.0507010f;
}
