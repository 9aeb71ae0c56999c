// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"launches":[{"kernel":"fused_chain","args":["x","a","b","y","N"],"global":["N"]}], "fp_contract": true}
// BUG: fused multiply-add mismatch: x*a+b contracted to llvm.fmuladd rounds once, PyTorch twice
//
// Same text as proved/fused_chain_nocontract.cl; OpenCL's default
// contraction makes the device compute fma(x, a, b).
__kernel void fused_chain(__global const float *x, const float a,
                          const float b, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] * a + b;
    y[i] = t < 0.0f ? 0.0f : t;
  }
}
