// BUG: fmin/fmax turn NaN into a bound (fmax(NaN, -1) = -1).
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  y[i] = fmin(fmax(x[i], -1.0f), 2.0f);
}
