// EXPECT: unknown
// UNKNOWN_KIND: approximation
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// proved/relu_sqrt_correctly_rounded.cl without the build option: OpenCL
// sqrt is only within 3 ulp and nothing bounds it bit for bit, so whether
// it is NaN exactly for negatives is open (unknown, approximation).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float s = sqrt(v);
    y[i] = (s != s && v == v) ? 0.0f : v;
  }
}
