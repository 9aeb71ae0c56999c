// EXPECT: proved
// SPEC: ../specs/relu_ignore_zero_sign.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// v <= 0 ? 0 : v gives +0 for -0 (refuted bit-exactly, see
// equivalence/relu_le_loses_neg_zero.cl) but keeps NaN; this spec's
// tolerance lets +0 match -0, so it is proved.
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v <= 0.0f ? 0.0f : v;
  }
}
