// EXPECT: unknown
// UNKNOWN_KIND: approximation
// REASON: relu_isnan_finite_math_only.cl:14:12: isnan(float) under -cl-finite-math-only
// SPEC: ../specs/relu_ignore_zero_sign.json
// MANIFEST: {"build_options":["-cl-finite-math-only"],"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// Right in IEEE arithmetic, but built with -cl-finite-math-only the device
// may assume no NaN and fold isnan(v) to 0 (clang marks no instruction
// here with fast-math flags: the call itself is the relaxed operation).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = isnan(v) ? v : (signbit(v) ? 0.0f : v);
  }
}
