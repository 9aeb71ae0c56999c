// BUG: x*e^x/(1+e^x): inf / inf = NaN for x = 100.
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = v * exp(v) / (1.0f + exp(v));
}
