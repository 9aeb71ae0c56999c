// EXPECT: proved
// SPEC: ../specs/relu_ignore_zero_sign.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  // The sign bit decides only for numbers; a NaN of either sign passes.
  y[i] = (as_int(v) < 0 && !isnan(v)) ? 0.0f : v;
}
