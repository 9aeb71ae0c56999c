// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/matmul_tiles_4m.json
// MANIFEST: {"launches":[{"kernel":"mm","args":["A","B","C","M","K","N"],"global":["roundup(N, 4)","roundup(M, 4)"],"local":[4,4]}]}
// BUG: missing second barrier: a fast work-item overwrites As/Bs with the next tile while others still read the current one
//
// At 2052 x 2048 outputs (one arbitrary work-group).
#define T 4
__kernel void mm(__global const float *A, __global const float *B,
                 __global float *C, int M, int K, int N) {
  __local float As[T][T], Bs[T][T];
  int tx = get_local_id(0), ty = get_local_id(1);
  int j = get_global_id(0), i = get_global_id(1);
  float acc = 0.0f;
  for (int k0 = 0; k0 < K; k0 += T) {
    As[ty][tx] = (i < M && k0 + tx < K) ? A[i * K + k0 + tx] : 0.0f;
    Bs[ty][tx] = (k0 + ty < K && j < N) ? B[(k0 + ty) * N + j] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < T; ++k)
      acc += As[ty][k] * Bs[k][tx];
  }
  if (i < M && j < N)
    C[i * N + j] = acc;
}
