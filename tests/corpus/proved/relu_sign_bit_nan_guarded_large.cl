// EXPECT: proved
// SPEC: ../specs/relu_ignore_zero_sign_16m.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  y[i] = (as_int(v) < 0 && v == v) ? 0.0f : v;
}
