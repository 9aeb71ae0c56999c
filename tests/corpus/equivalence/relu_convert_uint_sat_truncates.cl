// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: convert_uint_sat rounds toward zero: -v in (0, 1) converts to 0, so v in (-1, 0) passes through
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = convert_uint_sat(-v) > 0u ? 0.0f : v;
  }
}
