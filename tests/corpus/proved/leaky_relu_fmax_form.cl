// EXPECT: proved
// SPEC: ../specs/leaky_relu.json
// MANIFEST: {"launches":[{"kernel":"leaky_relu","args":["x","y","N"],"global":["N"]}]}
//
// A different formula that is still bit-exact: fmax(v, 0.01f * v).
// v > 0: 0.01f*v < v, so v. v < 0: 0.01f*v > v (or -0 after underflow,
// still > v), so 0.01f*v = v*0.01f. v = +-0: 0.01f*v has v's sign, so
// fmax gets two equal zeros of one sign. NaN: both operands NaN, NaN.
// +-inf: inf and -inf respectively. Needs real FP reasoning, not matching.
__kernel void leaky_relu(__global const float *x, __global float *y,
                         const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = fmax(v, 0.01f * v);
  }
}
