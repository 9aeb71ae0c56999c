// EXPECT: proved
// SPEC: ../specs/hardswish.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"hardswish","args":["x","y","N"],"global":["N"]}]}
//
// x * min(max(x + 3, 0), 6) / 6 with the reference's operations, in its
// order (the product first, then a correctly rounded division).
__kernel void hardswish(__global const float *x, __global float *y,
                        const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float t = v + 3.0f;
    t = t < 0.0f ? 0.0f : t;
    t = t > 6.0f ? 6.0f : t;
    y[i] = v * t / 6.0f;
  }
}
