// First minimal element wins (min([+0, -0]) = +0).
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    best = (isnan(best) || v >= best) ? best : v;
  }
  y[r] = best;
}
