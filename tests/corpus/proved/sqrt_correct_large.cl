// EXPECT: proved
// SPEC: ../specs/sqrt_large.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"sqrt_k","args":["x","y","N"],"global":["N"]}]}
//
// proved/sqrt_correct.cl at 2^22 + 3 elements (the symbolic work-item
// method): OpenCL's correctly rounded sqrt.
__kernel void sqrt_k(__global const float *x, __global float *y,
                     const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = sqrt(x[i]);
}
