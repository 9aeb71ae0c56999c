// EXPECT: refuted
// OBLIGATION: input-modified
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"launches":[{"kernel":"affine_inplace","args":["x","a","b","N"],"global":["N"]},{"kernel":"relu","args":["x","y","N"],"global":["N"]}], "fp_contract": false}
// BUG: writes its input: uses x as the scratch buffer between two launches instead of a temporary
//
// Saves a temporary: launch 1 overwrites x with x * a + b, launch 2 reads
// it back. y is right; x is destroyed.
__kernel void affine_inplace(__global float *x, const float a, const float b,
                             const int n) {
  int i = get_global_id(0);
  if (i < n)
    x[i] = x[i] * a + b;
}

__kernel void relu(__global const float *t, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = t[i];
    y[i] = v < 0.0f ? 0.0f : v;
  }
}
