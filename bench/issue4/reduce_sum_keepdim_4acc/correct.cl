// Four interleaved accumulators plus a scalar tail (N = 37 is not a
// multiple of 4): a reordered sum, within the tolerance.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  int j = 0;
  for (; j + 3 < N; j += 4) {
    a0 += p[j]; a1 += p[j + 1]; a2 += p[j + 2]; a3 += p[j + 3];
  }
  for (; j < N; ++j)
    a0 += p[j];
  y[r] = (a0 + a1) + (a2 + a3);
}
