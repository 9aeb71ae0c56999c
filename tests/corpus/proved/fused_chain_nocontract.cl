// EXPECT: proved
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"launches":[{"kernel":"fused_chain","args":["x","a","b","y","N"],"global":["N"]}], "fp_contract": false}
//
// relu(x * a + b) with contraction off: fmul then fadd, PyTorch's two
// roundings. (equivalence/fused_chain_contracted.cl: same text, contracted.)
__kernel void fused_chain(__global const float *x, const float a,
                          const float b, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] * a + b;
    y[i] = t < 0.0f ? 0.0f : t;
  }
}
