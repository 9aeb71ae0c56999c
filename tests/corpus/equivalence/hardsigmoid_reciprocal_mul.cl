// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardsigmoid.json
// MANIFEST: {"launches":[{"kernel":"hardsigmoid","args":["x","y","N"],"global":["N"]}]}
// BUG: division by 6 replaced by a multiply with 1/6, which is not a float32
//
// x = 2: t = 5, 5 / 6 = 0.833333313 but 5 * (1.0f / 6) = 0.833333373.
// No division left, so no approximation to hide behind: a clean refutation.
__kernel void hardsigmoid(__global const float *x, __global float *y,
                          const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] + 3.0f;
    t = t < 0.0f ? 0.0f : t;
    t = t > 6.0f ? 6.0f : t;
    y[i] = t * (1.0f / 6.0f);
  }
}
