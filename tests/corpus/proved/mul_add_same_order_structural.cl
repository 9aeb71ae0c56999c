// EXPECT: proved
// LEVEL: structural
// SPEC: ../specs/mul_add_two_inputs.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"mul_add","args":["a","b","y","N"],"global":["N"]}]}
//
// a * b + a in the reference's order: the twin of
// proved/mul_add_commuted_operands.cl (same verdict, same level).
__kernel void mul_add(__global const float *a, __global const float *b,
                      __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = a[i] * b[i] + a[i];
}
