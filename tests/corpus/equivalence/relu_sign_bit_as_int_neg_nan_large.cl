// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu_ignore_zero_sign_16m_only.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: sign-bit relu at 2^24 (one arbitrary work-item): as_int(v) < 0 zeroes a negative NaN
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  y[i] = as_int(v) < 0 ? 0.0f : v;
}
