// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu_ignore_zero_sign.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: sign bit of a computed NaN: the sign of v * 1.0f for a NaN v is the device's choice (x86 keeps the input's, NVIDIA gives +); zeroed when it is set
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  float t = v * 1.0f;
  y[i] = as_int(t) < 0 ? 0.0f : v;
}
