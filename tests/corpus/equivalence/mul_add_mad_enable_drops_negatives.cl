// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/mul_add.json
// MANIFEST: {"fp_contract":false,"build_options":["-cl-mad-enable"],"launches":[{"kernel":"mul_add","args":["x","y","N"],"global":["N"]}]}
// BUG: negative inputs give 1 instead of x * 2.5 + 1
//
// Under -cl-mad-enable the multiply-add is an approximation, but the
// refutation does not depend on it: for x < 0 the kernel writes 1.
__kernel void mul_add(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v > 0.0f ? v * 2.5f + 1.0f : 1.0f;
  }
}
