// EXPECT: refuted
// OBLIGATION: uninitialized-read
// SPEC: ../specs/fused_chain.json
// MANIFEST: {"temporaries":{"tmp":{"dtype":"float32","size":"N"}},"launches":[{"kernel":"relu","args":["tmp","y","N"],"global":["N"]},{"kernel":"affine","args":["x","a","b","tmp","N"],"global":["N"]}], "fp_contract": false}
// BUG: stale temporary: the manifest runs the consumer before the producer, so relu reads t before any write
//
// Each kernel is right (same as proved/fused_chain_two_launch_temp.cl);
// the launch order is wrong. On a reused buffer t would hold the previous
// run's values and the test would pass.
__kernel void affine(__global const float *x, const float a, const float b,
                     __global float *t, const int n) {
  int i = get_global_id(0);
  if (i < n)
    t[i] = x[i] * a + b;
}

__kernel void relu(__global const float *t, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = t[i];
    y[i] = v < 0.0f ? 0.0f : v;
  }
}
