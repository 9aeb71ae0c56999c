// EXPECT: error
// REASON: option '-cl-std=CL2.0' is not accepted: only OpenCL C 1.0, 1.1 and 1.2
// SPEC: ../specs/relu.json
// MANIFEST: {"build_options":["-cl-std=CL2.0"],"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// OpenCL C 2.0 (generic address space, ...) is not modelled: a one-line
// error naming the option, exit 2.
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i] < 0.0f ? 0.0f : x[i];
}
