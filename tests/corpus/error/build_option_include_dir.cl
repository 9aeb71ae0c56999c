// EXPECT: error
// REASON: option '-I/usr/include' is not accepted: include directories are not supported
// SPEC: ../specs/relu.json
// MANIFEST: {"build_options":["-I/usr/include"],"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i] < 0.0f ? 0.0f : x[i];
}
