// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: sign test on (half)v (round to nearest): negatives above -2^-25 round to -0 and pass through
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    half h = (half)v;
    y[i] = (float)h < 0.0f ? 0.0f : v;
  }
}
