// EXPECT: proved
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"temporaries":{"tmp":{"dtype":"float32","size":"N"}},"launches":[{"kernel":"affine","args":["x","a","b","tmp","N"],"global":["N"]},{"kernel":"relu","args":["tmp","y","N"],"global":["(N+3)/4"]}], "fp_contract": false}
//
// Two launches sharing a temporary: the first writes t = x * a + b (two
// roundings: contraction off), the second reads t and writes relu(t) with
// a different NDRange (4 elements per work-item, guarded loop). Every t
// element the second launch reads was written by the first.
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
