// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: relu as v <= 0 ? 0 : v loses the sign of -0 (the only counterexample is x = -0)
//
// Keeps NaN (NaN <= 0 is false), so x = -0 is the one input that differs:
// expected -0 (0x80000000), got +0. Proved when the tolerance ignores the
// sign of zero (proved/relu_le_ignore_zero_sign.cl).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v <= 0.0f ? 0.0f : v;
  }
}
