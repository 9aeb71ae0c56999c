// relu(x * a + b) in one kernel; a and b are 0-d tensors passed by value.
// The source is the same for both manifests; only contraction differs:
//  * fused_chain_nocontract.json ("fp_contract": false, -ffp-contract=off):
//    x*a rounds, then +b rounds -- PyTorch's two roundings: proved.
//  * fused_chain_contract.json ("fp_contract": true, OpenCL's default):
//    clang emits llvm.fmuladd, which PoCL and GPU compilers execute as one
//    fused multiply-add with a single rounding: refuted on inputs where
//    fma(x, a, b) != (x * a) + b.
__kernel void fused_chain(__global const float *x, const float a,
                          const float b, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] * a + b;
    y[i] = t < 0.0f ? 0.0f : t;
  }
}
