// EXPECT: refuted
// OBLIGATION: equivalence
// SHAPE: {"N": 16777216}
// SPEC: ../specs/sigmoid_16m.json
// MANIFEST: {"launches":[{"kernel":"sigmoid4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// BUG: float4 lanes reversed: y[4g + k] = sigmoid(x[4g + 3 - k])
//
// The lane's read x[4g + 3 - k] and the reference's x[4g + k] are two
// variables (different elements), so the rounding level does not apply;
// concrete hunting with different values per element refutes it through
// every value exp may return.
__kernel void sigmoid4(__global const float *x, __global float *y,
                       const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = vload4(g, x);
    vstore4(1.0f / (1.0f + exp(-v.wzyx)), g, y);
  } else {
    for (int j = i; j < n; ++j)
      y[j] = 1.0f / (1.0f + exp(-x[j]));
  }
}
