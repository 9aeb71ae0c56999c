// EXPECT: error
// REASON: build_option_werror_warning.cl:12:
// SPEC: ../specs/relu.json
// MANIFEST: {"build_options":["-Werror"],"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// -Werror is modelled by clang: the division-by-zero warning is an error
// (exit 2, with its line), as the device compiler would refuse it.
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < 0.0f ? 0.0f : v + (float)(1 / 0);
  }
}
