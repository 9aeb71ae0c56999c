// BUG: the tanh approximation for exact gelu (off by up to 5e-4).
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = 0.5f * v * (1.0f + tanh(0.7978846f * (v + 0.044715f * (v * v * v))));
}
