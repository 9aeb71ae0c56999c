// EXPECT: proved
// SPEC: ../specs/l2norm_small.json
// MANIFEST: {"fp_contract":false,"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"l2norm","args":["x","y","N"],"global":[1]}]}
//
// sqrt of the sum of squares, in the reference's order. With
// -cl-fp32-correctly-rounded-divide-sqrt, sqrt is IEEE (correctly rounded),
// so the result is bit-exact (without it: unknown/l2norm_default_sqrt.cl).
__kernel void l2norm(__global const float *x, __global float *y,
                     const int n) {
  float acc = 0.0f;
  for (int j = 0; j < n; ++j)
    acc += x[j] * x[j];
  y[0] = sqrt(acc);
}
