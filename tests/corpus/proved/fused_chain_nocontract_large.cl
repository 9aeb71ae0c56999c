// EXPECT: proved
// SPEC: ../specs/fused_chain_large.json
// MANIFEST: {"launches":[{"kernel":"fused_chain","args":["x","a","b","y","N"],"global":["N"]}], "fp_contract": false}
//
// relu(x * a + b) with 0-d scalars a and b at N = 8388611: one arbitrary
// work-item; the reference element at its symbolic index broadcasts a and b.
__kernel void fused_chain(__global const float *x, const float a,
                          const float b, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] * a + b;
    y[i] = t < 0.0f ? 0.0f : t;
  }
}
