// hinge loss mean: max(0, 1 - y * x). BUG: the clamp at 0 is missing.
__kernel void k(__global const float *x, __global const float *t,
                __global float *y, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) {
    float h = 1.0f - t[i] * x[i];
    s += h;
  }
  y[0] = s / (float)n;
}
