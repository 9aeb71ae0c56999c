// EXPECT: unknown
// UNKNOWN_KIND: approximation
// SPEC: ../specs/l2norm_small.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"l2norm","args":["x","y","N"],"global":[1]}]}
//
// proved/l2norm_correctly_rounded_sqrt.cl without the build option:
// OpenCL's sqrt is only within 3 ulp, so a bit-exact proof is out of reach.
__kernel void l2norm(__global const float *x, __global float *y,
                     const int n) {
  float acc = 0.0f;
  for (int j = 0; j < n; ++j)
    acc += x[j] * x[j];
  y[0] = sqrt(acc);
}
