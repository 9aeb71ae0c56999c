// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// The sign test on a half copy rounded toward -inf (cl_khr_fp16
// convert_half_rtn, then a half comparison): every negative float stays
// negative (at worst the smallest negative half or -inf), every other value
// stays >= 0 or NaN, so this is ReLU exactly.
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    half h = convert_half_rtn(v);
    y[i] = (float)h < 0.0f ? 0.0f : v;
  }
}
