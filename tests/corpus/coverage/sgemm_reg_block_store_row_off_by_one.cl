// EXPECT: refuted
// OBLIGATION: coverage
// SPEC: ../specs/sgemm_33x65x19_r1.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"sgemm","args":["A","B","C","M","K","N"],"global":["roundup(N, 64) / 4","roundup(M, 64) / 4"],"local":[16,16]}]}
// BUG: register-block row off by one in the store (`ty * TM + i + 1`): each 4x4 block lands one row down, row 0 of every tile is never written
//
// Wrong twin of proved/sgemm_reg_block_64x64.cl (64x64 block tiles, BK = 8,
// 4x4 register blocks per work-item), refuted at 33 x 65 x 19.
#define BM 64
#define BN 64
#define BK 8
#define TM 4
#define TN 4
__kernel void sgemm(__global const float *A, __global const float *B,
                    __global float *C, int M, int K, int N) {
  __local float As[BK][BM];
  __local float Bs[BK][BN];
  int tx = get_local_id(0), ty = get_local_id(1);
  int tid = ty * 16 + tx;
  int m0 = get_group_id(1) * BM, n0 = get_group_id(0) * BN;
  float acc[TM][TN];
  #pragma unroll
  for (int i = 0; i < TM; ++i)
    #pragma unroll
    for (int j = 0; j < TN; ++j)
      acc[i][j] = 0.0f;
  for (int k0 = 0; k0 < K; k0 += BK) {
    #pragma unroll
    for (int l = 0; l < 2; ++l) {
      int e = tid + l * 256;
      int r = e / BK, c = e % BK; // A tile: 64 rows x 8 columns
      As[c][r] = (m0 + r < M && k0 + c < K) ? A[(m0 + r) * K + k0 + c] : 0.0f;
      int br = e / BN, bc = e % BN; // B tile: 8 rows x 64 columns
      Bs[br][bc] =
          (k0 + br < K && n0 + bc < N) ? B[(k0 + br) * N + n0 + bc] : 0.0f;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    #pragma unroll
    for (int kk = 0; kk < BK; ++kk) {
      float a[TM], b[TN];
      #pragma unroll
      for (int i = 0; i < TM; ++i)
        a[i] = As[kk][ty * TM + i];
      #pragma unroll
      for (int j = 0; j < TN; ++j)
        b[j] = Bs[kk][tx * TN + j];
      #pragma unroll
      for (int i = 0; i < TM; ++i)
        #pragma unroll
        for (int j = 0; j < TN; ++j)
          acc[i][j] += a[i] * b[j];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  #pragma unroll
  for (int i = 0; i < TM; ++i)
    #pragma unroll
    for (int j = 0; j < TN; ++j) {
      int r = m0 + ty * TM + i + 1, c = n0 + tx * TN + j;
      if (r < M && c < N)
        C[r * N + c] = acc[i][j];
    }
}
