// EXPECT: proved
// SPEC: ../specs/matmul_tiles_4m.json
// MANIFEST: {"launches":[{"kernel":"mm","args":["A","B","C","M","K","N"],"global":["roundup(N, 4)","roundup(M, 4)"],"local":[4,4]}]}
//
// examples/matmul/tiled.cl (4x4 tiles of A and B through __local memory,
// two barriers per tile) at 2052 x 2048 outputs (4202496 work-items, too
// many to enumerate): one arbitrary work-group (symbolic group ids, its 16
// work-items in lockstep). The tiles' edge guards (i < M, k0 + tx < K) are
// decided under the path condition, coverage by running the store terms
// over every group; equivalence at level rounding (fused multiply-adds).
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
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (i < M && j < N)
    C[i * N + j] = acc;
}
