// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"build_options":["-cl-opt-disable","-cl-single-precision-constant","-cl-kernel-arg-info","-cl-uniform-work-group-size","-cl-std=CL1.1","-w","-Werror"],"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// Build options that do not change what the kernel computes are accepted
// (and listed in the verdict's assumptions.build_options). With
// -cl-single-precision-constant the double literal 0.0 is a float.
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < 0.0 ? 0.0 : v;
  }
}
