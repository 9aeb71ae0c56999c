// EXPECT: unknown
// UNKNOWN_KIND: too-large
// SPEC: ../specs/fused_chain_large.json
// MANIFEST: {"temporaries":{"tmp":{"dtype":"float32","size":"N"}},"launches":[{"kernel":"affine","args":["x","a","b","tmp","N"],"global":["N"]},{"kernel":"relu","args":["tmp","y","N"],"global":["(N+3)/4"]}], "fp_contract": false}
// REASON: symbolic work-item method does not apply
//
// proved/fused_chain_two_launch_temp.cl at N = 8388611: the symbolic
// work-item method covers one launch without temporaries only, and 2^23
// work-items are too many to enumerate, so the answer is unknown.
__kernel void affine(__global const float *x, const float a, const float b,
                     __global float *t, const int n) {
  int i = get_global_id(0);
  if (i < n)
    t[i] = x[i] * a + b;
}

__kernel void relu(__global const float *t, __global float *y, const int n) {
  int i0 = get_global_id(0) * 4;
  for (int i = i0; i < i0 + 4 && i < n; ++i) {
    float v = t[i];
    y[i] = v < 0.0f ? 0.0f : v;
  }
}
