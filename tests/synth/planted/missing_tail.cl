// relu that never writes the last element: refuted (coverage).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n - 1) {
    float v = x[i];
    y[i] = v < 0.0f ? 0.0f : v;
  }
}
