// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// ReLU through sqrt: IEEE sqrt is NaN exactly for v < 0 (and NaN v), and
// sqrt(-0) = -0. Under -cl-fp32-correctly-rounded-divide-sqrt sqrt is IEEE,
// so this is proved (without it: unknown/relu_sqrt_default_accuracy.cl).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float s = sqrt(v);
    y[i] = (s != s && v == v) ? 0.0f : v;
  }
}
