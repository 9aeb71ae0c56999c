// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"build_options":["-cl-denorms-are-zero"],"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// Under -cl-denorms-are-zero (every subnormal operand or result of a float
// operation flushed to zero of its sign, or kept: both verified): the
// comparisons give the same answers on a flushed subnormal, and v itself
// passes through unchanged (a copy is not a float operation).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
