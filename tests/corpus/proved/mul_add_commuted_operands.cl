// EXPECT: proved
// LEVEL: structural
// SPEC: ../specs/mul_add_two_inputs.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"mul_add","args":["a","b","y","N"],"global":["N"]}]}
//
// a + b * a where the reference computes a * b + a: the operands of both
// operations commuted. IEEE addition and multiplication commute exactly,
// so the two terms are one term once operands are put in a canonical order
// (verify/Canonical.h): proved structurally, with no solver query, like
// the reference's order (proved/mul_add_same_order_structural.cl; issue 12
// item 2: a proof must not depend on the operand order). Before, the
// commuted form went to a bit-exact solver query.
__kernel void mul_add(__global const float *a, __global const float *b,
                      __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = a[i] + b[i] * a[i];
}
