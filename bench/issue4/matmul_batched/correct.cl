// Batched matmul, one work-item per output (j, i, batch). 
__kernel void k(__global const float *A, __global const float *W,
                __global float *C, int M, int K, int N) {
  int j = get_global_id(0), i = get_global_id(1), b = get_global_id(2);
  float acc = 0.0f;
  for (int p = 0; p < K; ++p)
    acc += A[(b * M + i) * K + p] * W[b * K * N + p * N + j];
  C[(b * M + i) * N + j] = acc;
}
