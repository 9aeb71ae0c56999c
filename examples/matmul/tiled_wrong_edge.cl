// BUG: the tile loop runs K/T times (integer division), so the last
// partial tile of the K dimension is never accumulated when K % T != 0.
#define T 4
__kernel void mm(__global const float *A, __global const float *B,
                 __global float *C, int M, int K, int N) {
  __local float As[T][T], Bs[T][T];
  int tx = get_local_id(0), ty = get_local_id(1);
  int j = get_global_id(0), i = get_global_id(1);
  float acc = 0.0f;
  for (int t = 0; t < K / T; ++t) {
    int k0 = t * T;
    As[ty][tx] = (i < M) ? A[i * K + k0 + tx] : 0.0f;
    Bs[ty][tx] = (j < N) ? B[(k0 + ty) * N + j] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < T; ++k)
      acc += As[ty][k] * Bs[k][tx];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (i < M && j < N)
    C[i * N + j] = acc;
}
