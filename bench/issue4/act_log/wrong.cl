// BUG: an epsilon guard log(x + 1e-3) (error 0.095 at x = 0.01).
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = log(v + 1e-3f);
}
