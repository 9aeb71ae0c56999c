// Does not compile (undeclared identifier).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i] < 0.0f ? 0.0f : undeclared_value;
}
