// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardswish.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"hardswish","args":["x","y","N"],"global":["N"]}]}
// BUG: computes x * (t / 6) instead of (x * t) / 6: a different rounding, one ulp off for many x in (-3, 3), and the spec is bit-exact
__kernel void hardswish(__global const float *x, __global float *y,
                        const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float t = v + 3.0f;
    t = t < 0.0f ? 0.0f : t;
    t = t > 6.0f ? 6.0f : t;
    y[i] = v * (t / 6.0f);
  }
}
