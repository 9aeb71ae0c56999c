// One work-item per output element, k in order; a*b+c contracts to fused
// multiply-adds (OpenCL's default), so the rounding differs from the spec.
__kernel void mm(__global const float *A, __global const float *B,
                 __global float *C, int M, int K, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  if (i >= M || j >= N)
    return;
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += A[i * K + k] * B[k * N + j];
  C[i * N + j] = acc;
}
