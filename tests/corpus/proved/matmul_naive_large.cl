// EXPECT: proved
// SPEC: ../specs/matmul_4m.json
// MANIFEST: {"launches":[{"kernel":"mm","args":["A","B","C","M","K","N"],"global":["N","M"]}]}
//
// Naive matmul at 2048 x 2049 outputs (4196352 work-items, K = 16): one
// arbitrary work-item (i, j). The reference element at the store's flat
// index i * 2049 + j takes its coordinates by div/mod (guessed from the
// index's affine form, i and j, under a condition the path implies) and
// folds the 16 products a[i, k] * b[k, j] from +0 in order of k; the
// kernel's a*b+acc contracts to fused multiply-adds, so the two differ in
// rounding only: proved at level rounding.
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
