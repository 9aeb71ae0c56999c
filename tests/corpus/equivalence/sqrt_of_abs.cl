// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/sqrt.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"sqrt_k","args":["x","y","N"],"global":["N"]}]}
// BUG: takes sqrt(fabs(x)): a negative x gives a number where the reference gives NaN
__kernel void sqrt_k(__global const float *x, __global float *y,
                     const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = sqrt(fabs(x[i]));
}
