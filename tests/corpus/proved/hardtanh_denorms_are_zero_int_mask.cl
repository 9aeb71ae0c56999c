// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"build_options":["-cl-denorms-are-zero"],"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// Under -cl-denorms-are-zero (every subnormal operand or result of a float
// operation flushed to zero of its sign, or kept: both verified): the
// comparisons give the same answers on a flushed subnormal, and v passes
// through integer masks of its bits (not a select, which clang would
// turn back into a float select), which no device flushes.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    int lo = -(v < -1.0f), hi = -(v > 1.0f); // all ones or zero
    int bits = (lo & as_int(-1.0f)) | (hi & as_int(1.0f)) |
               (~(lo | hi) & as_int(v));
    y[i] = as_float(bits);
  }
}
