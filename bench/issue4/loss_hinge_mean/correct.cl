// hinge loss mean: max(0, 1 - y * x). 
__kernel void k(__global const float *x, __global const float *t,
                __global float *y, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) {
    float h = 1.0f - t[i] * x[i];
    s += h < 0.0f ? 0.0f : h;
  }
  y[0] = s / (float)n;
}
