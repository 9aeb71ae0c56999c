// EXPECT: unknown
// UNKNOWN_KIND: approximation
// REASON: depends on approximate operations
// SPEC: ../specs/mul_add.json
// MANIFEST: {"fp_contract":false,"build_options":["-cl-mad-enable"],"launches":[{"kernel":"mul_add","args":["x","y","N"],"global":["N"]}]}
//
// The same two-rounding x * 2.5 + 1 as proved/mul_add_two_roundings.cl,
// built with -cl-mad-enable: OpenCL lets a*b+c be computed by mad with
// reduced accuracy, so a bit-exact proof is out of reach (unknown,
// approximation; the verdict's abstractions name a*b+c at its line).
__kernel void mul_add(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i] * 2.5f + 1.0f;
}
