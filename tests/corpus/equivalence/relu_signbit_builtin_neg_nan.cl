// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu_ignore_zero_sign.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: signbit relu: signbit(v) ? 0 : v zeroes a NaN whose sign bit is set
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  y[i] = signbit(v) ? 0.0f : v;
}
