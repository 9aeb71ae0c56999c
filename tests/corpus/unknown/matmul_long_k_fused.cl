// EXPECT: unknown
// REASON: is not the reference's fold
// SPEC: ../specs/matmul_long_k.json
// MANIFEST: {"launches":[{"kernel":"mm","args":["a","b","c","M","K","N"],"global":["N","M"]}]}
//
// The same matmul with contraction on (the default): the update is
// fma(a, b, acc), one rounding, where the reference rounds the product
// first. Not equal by induction, no concrete difference beyond the
// tolerance on uniform or one-hot inputs, and a worst-case bound for 8192
// products would exceed it: unknown at K = 8192 (and not enumerated
// instead: unrolling 8192 iterations in each of 16384 work-items would
// exhaust the step budget). At M=3, K=5, N=4 it is proved. The query
// that compares the two updates is satisfiable but takes Z3 about 20 s,
// beyond the induction's budget (Budgets::foldQueryMs, 3 s): the unknown's
// kind is timeout (it was reported as approximation before issue 11's
// finding on timeouts).
__kernel void mm(__global const float *a, __global const float *b,
                 __global float *c, int M, int K, int N) {
  int i = get_global_id(1), j = get_global_id(0);
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += a[i * K + k] * b[k * N + j];
  c[i * N + j] = acc;
}
