// EXPECT: unknown
// UNKNOWN_KIND: approximation
// REASON: depends on approximate operations
// SPEC: ../specs/mul_add.json
// MANIFEST: {"build_options":["-cl-mad-enable"],"launches":[{"kernel":"mul_add","args":["x","y","N"],"global":["N"]}]}
//
// fp_contract on (the default): clang emits llvm.fmuladd, which
// -cl-mad-enable also turns into an approximation.
__kernel void mul_add(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i] * 2.5f + 1.0f;
}
