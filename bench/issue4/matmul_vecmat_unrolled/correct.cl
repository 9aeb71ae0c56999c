// Vector-matrix v @ A, four partial sums per output column. 
__kernel void k(__global const float *v, __global const float *A,
                __global float *y, int K, int N) {
  int j = get_global_id(0);
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  int p = 0;
  for (; p + 3 < K; p += 4) {
    a0 += v[p] * A[p * N + j];
    a1 += v[p + 1] * A[(p + 1) * N + j];
    a2 += v[p + 2] * A[(p + 2) * N + j];
    a3 += v[p + 3] * A[(p + 3) * N + j];
  }
  for (; p < K; ++p)
    a0 += v[p] * A[p * N + j];
  y[j] = (a0 + a1) + (a2 + a3);
}
