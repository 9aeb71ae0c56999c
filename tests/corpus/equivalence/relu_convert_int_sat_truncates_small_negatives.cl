// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: convert_int_sat rounds toward zero: v in (-1, 0) converts to 0 and passes through
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = convert_int_sat(v) < 0 ? 0.0f : v;
  }
}
