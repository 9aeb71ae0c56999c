// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/mul_add_two_inputs.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"mul_add","args":["a","b","y","N"],"global":["N"]}]}
// BUG: adds b where the reference adds a (operands commuted as well)
//
// b + b * a: commuted operands, as proved/mul_add_commuted_operands.cl,
// but the addend is the wrong input. Canonical operand order must not make
// it the reference's term.
__kernel void mul_add(__global const float *a, __global const float *b,
                      __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = b[i] + b[i] * a[i];
}
