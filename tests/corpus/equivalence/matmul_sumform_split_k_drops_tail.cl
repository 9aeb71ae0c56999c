// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/matmul_sumform.json
// MANIFEST: {"launches":[{"kernel":"mm","args":["a","b","y","M","K","N"],"global":["N","M"]}]}
// BUG: dropped term: the split-K loop's odd tail (k = K - 1 when K is odd) is never added, so the product a[i, K-1] * b[K-1, j] is missing
__kernel void mm(__global const float *a, __global const float *b,
                 __global float *y, int m, int kk, int n) {
  int j = get_global_id(0), i = get_global_id(1);
  float even = 0.0f, odd = 0.0f;
  for (int k = 0; k + 1 < kk; k += 2) {
    even += a[i * kk + k] * b[k * n + j];
    odd += a[i * kk + k + 1] * b[(k + 1) * n + j];
  }
  y[i * n + j] = even + odd;
}
