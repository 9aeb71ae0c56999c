// EXPECT: proved
// SPEC: ../specs/matmul_long_k.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"mm","args":["a","b","c","M","K","N"],"global":["N","M"]}]}
//
// Naive matmul with K = 8192 at 128 x 128 outputs: the dot-product loop is
// summarised and equals the reference's left fold of rounded products by
// induction (fp_contract false, so acc + a*b is rounded twice, as the
// reference computes it).
__kernel void mm(__global const float *a, __global const float *b,
                 __global float *c, int M, int K, int N) {
  int i = get_global_id(1), j = get_global_id(0);
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += a[i * K + k] * b[k * N + j];
  c[i * N + j] = acc;
}
