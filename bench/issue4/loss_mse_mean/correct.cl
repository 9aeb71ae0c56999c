// One work-item: left-fold sum of squared differences. 
__kernel void k(__global const float *x, __global const float *t,
                __global float *y, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) {
    float d = x[i] - t[i];
    s += d * d;
  }
  y[0] = s / (float)n;
}
