// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/triplet_margin_loss_small.json
// MANIFEST: {"launches":[{"kernel":"triplet","args":["a","p","n","y","B","D"],"global":["1"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
// BUG: compares squared distances (no sqrt), so the margin is applied to the wrong quantity
__kernel void triplet(__global const float *a, __global const float *p,
                      __global const float *n, __global float *y, int B,
                      int D) {
  float total = 0.0f;
  for (int r = 0; r < B; ++r) {
    float sp = 0.0f, sn = 0.0f;
    for (int j = 0; j < D; ++j) {
      float dp = a[r * D + j] - p[r * D + j] + 1e-6f;
      float dn = a[r * D + j] - n[r * D + j] + 1e-6f;
      sp += dp * dp;
      sn += dn * dn;
    }
    float l = 1.0f + sp - sn;
    total += l < 0.0f ? 0.0f : l;
  }
  y[0] = total / (float)B;
}
