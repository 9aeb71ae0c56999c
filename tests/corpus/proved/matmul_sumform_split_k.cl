// EXPECT: proved
// SPEC: ../specs/matmul_sumform.json
// MANIFEST: {"launches":[{"kernel":"mm","args":["a","b","y","M","K","N"],"global":["N","M"]}]}
// LEVEL: rounding
//
// One work-item per output element, the K products split over two
// accumulators (even and odd k, contracted to fma by default) added at the
// end: not the reference's left fold, proved under the summation form
// (|y - ref| <= atol + sum_rtol * sum_k |a[i,k] b[k,j]|; atol covers the
// products' underflow).
__kernel void mm(__global const float *a, __global const float *b,
                 __global float *y, int m, int kk, int n) {
  int j = get_global_id(0), i = get_global_id(1);
  float even = 0.0f, odd = 0.0f;
  int k = 0;
  for (; k + 1 < kk; k += 2) {
    even += a[i * kk + k] * b[k * n + j];
    odd += a[i * kk + k + 1] * b[(k + 1) * n + j];
  }
  if (k < kk)
    even += a[i * kk + k] * b[k * n + j];
  y[i * n + j] = even + odd;
}
