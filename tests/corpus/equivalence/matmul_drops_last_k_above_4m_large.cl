// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/matmul_4m.json
// MANIFEST: {"launches":[{"kernel":"mm","args":["A","B","C","M","K","N"],"global":["N","M"]}]}
// BUG: outputs past flat index 4000000 leave out the last product (k = K - 1)
//
// Right at every shape with fewer than 4000001 outputs, so enumeration at
// small shapes passes it; the arbitrary work-item at 2048 x 2049 finds a
// row i >= 1953 where the product a[i, 15] * b[15, j] is missing.
__kernel void mm(__global const float *A, __global const float *B,
                 __global float *C, int M, int K, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  if (i >= M || j >= N)
    return;
  float acc = 0.0f;
  for (int k = 0; k < K; ++k) {
    if (k == K - 1 && i * N + j > 4000000)
      break;
    acc += A[i * K + k] * B[k * N + j];
  }
  C[i * N + j] = acc;
}
