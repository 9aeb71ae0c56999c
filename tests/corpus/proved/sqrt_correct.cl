// EXPECT: proved
// SPEC: ../specs/sqrt.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"sqrt_k","args":["x","y","N"],"global":["N"]}]}
//
// OpenCL's sqrt, correctly rounded under
// -cl-fp32-correctly-rounded-divide-sqrt: the reference's IEEE sqrt
// (NaN for x < 0, -0 for -0).
__kernel void sqrt_k(__global const float *x, __global float *y,
                     const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = sqrt(x[i]);
}
