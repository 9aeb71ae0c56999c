// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: sign test on vstore_half (round to nearest): negatives above -2^-25 become -0 and pass through
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    ushort t[1];
    vstore_half(v, 0, (half *)t);
    y[i] = vload_half(0, (half *)t) < 0.0f ? 0.0f : v;
  }
}
