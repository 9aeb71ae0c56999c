// EXPECT: proved
// SPEC: ../specs/mul_add.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"mul_add","args":["x","y","N"],"global":["N"]}]}
//
// x * 2.5 + 1 with two roundings, as the reference: bit-exact without
// -cl-mad-enable (compare unknown/mul_add_mad_enable.cl).
__kernel void mul_add(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i] * 2.5f + 1.0f;
}
