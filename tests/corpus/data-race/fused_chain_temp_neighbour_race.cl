// EXPECT: refuted
// OBLIGATION: data-race
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"temporaries":{"tmp":{"dtype":"float32","size":"N"}},"launches":[{"kernel":"affine","args":["x","a","b","tmp","N"],"global":["N"]},{"kernel":"relu_inplace","args":["tmp","y","N"],"global":["N"]}], "fp_contract": false}
// BUG: work-item i reads t[i - 1] while work-item i - 1 overwrites it in the same launch
// LOCATION: 32:10
// OTHER_LOCATION: 28:17
//
// The second launch updates the temporary in place (t = relu(t)) and, as
// a "run reuse" shortcut, peeks at the previous element: when its bits
// equal this one's, it uses that value. Before or after the neighbour's
// update, the bits are equal only when the result is the same, so y is
// right on every interleaving, but the read of t[i - 1] races with
// work-item i - 1's write of t[i - 1].
__kernel void affine(__global const float *x, const float a, const float b,
                     __global float *t, const int n) {
  int i = get_global_id(0);
  if (i < n)
    t[i] = x[i] * a + b;
}

__kernel void relu_inplace(__global float *t, __global float *y,
                           const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = t[i];
    if (i > 0) {
      float w = t[i - 1];
      v = as_uint(w) == as_uint(v) ? w : v;
    }
    float r = v < 0.0f ? 0.0f : v;
    t[i] = r;
    y[i] = r;
  }
}
