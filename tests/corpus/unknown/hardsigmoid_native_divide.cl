// EXPECT: unknown
// UNKNOWN_KIND: approximation
// SPEC: ../specs/hardsigmoid.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"hardsigmoid","args":["x","y","N"],"global":["N"]}]}
//
// Silent precision downgrade: native_divide has implementation-defined
// accuracy (the build option does not cover it). Whether the device's
// result matches is unknowable from the source: unknown (approximation).
__kernel void hardsigmoid(__global const float *x, __global float *y,
                          const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] + 3.0f;
    t = t < 0.0f ? 0.0f : t;
    t = t > 6.0f ? 6.0f : t;
    y[i] = native_divide(t, 6.0f);
  }
}
