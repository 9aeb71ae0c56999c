// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/matmul_long_k.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"mm","args":["a","b","c","M","K","N"],"global":["N","M"]}]}
// SHAPE: {"M": 128, "K": 8192, "N": 128}
// BUG: size cheat: for K above 4096 the last product of every dot product is dropped
__kernel void mm(__global const float *a, __global const float *b,
                 __global float *c, int M, int K, int N) {
  int i = get_global_id(1), j = get_global_id(0);
  int kend = K > 4096 ? K - 1 : K;
  float acc = 0.0f;
  for (int k = 0; k < kend; ++k)
    acc += a[i * K + k] * b[k * N + j];
  c[i * N + j] = acc;
}
