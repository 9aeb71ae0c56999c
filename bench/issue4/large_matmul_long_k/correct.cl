// Naive dot products without contraction: a loop summary.
__kernel void k(__global const float *a, __global const float *b,
                __global float *c, int M, int K, int N) {
  int i = get_global_id(1), j = get_global_id(0);
  int kend = K;
  float acc = 0.0f;
  for (int k = 0; k < kend; ++k)
    acc += a[i * K + k] * b[k * N + j];
  c[i * N + j] = acc;
}
