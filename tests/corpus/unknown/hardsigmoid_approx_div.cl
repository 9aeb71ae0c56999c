// EXPECT: unknown
// UNKNOWN_KIND: approximation
// SPEC: ../specs/hardsigmoid.json
// MANIFEST: {"launches":[{"kernel":"hardsigmoid","args":["x","y","N"],"global":["N"]}]}
//
// The correct HardSigmoid formula, built without
// -cl-fp32-correctly-rounded-divide-sqrt: OpenCL C 1.2 lets single-precision
// '/' be off by 2.5 ulp (clang emits fdiv with !fpmath 2.5). The device
// may or may not round like the reference, so neither "proved" nor
// "refuted" is sound: the verdict must be unknown (approximation).
__kernel void hardsigmoid(__global const float *x, __global float *y,
                          const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] + 3.0f;
    t = t < 0.0f ? 0.0f : t;
    t = t > 6.0f ? 6.0f : t;
    y[i] = t / 6.0f;
  }
}
