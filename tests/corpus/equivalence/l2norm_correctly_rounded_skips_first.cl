// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/l2norm_small.json
// MANIFEST: {"fp_contract":false,"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"l2norm","args":["x","y","N"],"global":[1]}]}
// BUG: off by one: the sum of squares starts at x[1]
__kernel void l2norm(__global const float *x, __global float *y,
                     const int n) {
  float acc = 0.0f;
  for (int j = 1; j < n; ++j)
    acc += x[j] * x[j];
  y[0] = sqrt(acc);
}
