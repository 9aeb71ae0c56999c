// relu that returns its input: refuted at any negative x.
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i];
}
