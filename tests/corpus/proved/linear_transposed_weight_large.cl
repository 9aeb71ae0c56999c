// EXPECT: proved
// SPEC: ../specs/linear_4m.json
// MANIFEST: {"launches":[{"kernel":"linear","args":["x","w","b","y","M","K","N"],"global":["N","M"]}]}
//
// A linear layer, y = x @ w^T + b with w stored [N, K], at 2049 x 2048
// outputs: one arbitrary work-item (j, i). The reference element at the
// store's flat index is the bias (broadcast along rows) added to the
// matmul's element, whose second operand is the transpose of w: its
// element (k, j) is w's element (j, k), read at index terms. The kernel
// contracts to fused multiply-adds: proved at level rounding.
__kernel void linear(__global const float *x, __global const float *w,
                     __global const float *b, __global float *y, int M,
                     int K, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  if (i >= M || j >= N)
    return;
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += x[i * K + k] * w[j * K + k];
  y[i * N + j] = acc + b[j];
}
