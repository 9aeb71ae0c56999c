// C = A @ W^T with W stored [N, K]. 
__kernel void k(__global const float *A, __global const float *W,
                __global float *C, int K, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  float acc = 0.0f;
  for (int p = 0; p < K; ++p)
    acc += A[i * K + p] * W[j * K + p];
  C[i * N + j] = acc;
}
