// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// The sign test on v stored as a half with vstore_half_rtn (toward -inf)
// into a private buffer and read back with vload_half (OpenCL 1.2, no
// extension needed): negatives stay negative, so this is ReLU exactly.
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    ushort t[1];
    vstore_half_rtn(v, 0, (half *)t);
    y[i] = vload_half(0, (half *)t) < 0.0f ? 0.0f : v;
  }
}
