// BUG (tie rule): takes the later of equal elements, so min([+0, -0]) = -0
// where the spec keeps the first, +0.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    best = (v <= best) ? v : best;
  }
  y[r] = best;
}
