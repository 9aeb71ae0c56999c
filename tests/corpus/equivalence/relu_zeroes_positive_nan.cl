// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu_ignore_zero_sign.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: positive-NaN relu: zeroes every NaN whose sign bit is clear (0x7fc00000 -> 0)
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  y[i] = (isnan(v) && as_int(v) > 0) ? 0.0f : (v < 0.0f ? 0.0f : v);
}
