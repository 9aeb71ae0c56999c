// EXPECT: proved
// SPEC: ../specs/hardsigmoid.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"hardsigmoid","args":["x","y","N"],"global":["N"]}]}
//
// min(max(x + 3, 0), 6) / 6 with the reference's operations; the build
// option makes '/' a correctly rounded IEEE division.
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
