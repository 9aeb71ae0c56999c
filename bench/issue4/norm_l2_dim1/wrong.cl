// BUG: computes the L1 norm (sum of |x|) instead of L2.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float s = 0.0f;
  for (int j = 0; j < N; ++j) {
    float v = x[r * N + j];
    s += fabs(v);
  }
  y[r] = s;
}
