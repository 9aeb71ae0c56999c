// EXPECT: proved
// SPEC: ../specs/rowsum_sumform.json
// MANIFEST: {"temporaries":{"part":{"dtype":"float32","size":"3*M"}},"launches":[{"kernel":"partials","args":["x","part","N"],"global":["3*M"]},{"kernel":"combine","args":["part","y"],"global":["M"]}]}
// LEVEL: rounding
//
// A two-phase reduction: the first launch writes three partial sums per
// row (each work-item a strided third of the row) to a temporary, the
// second launch sums the partials. Proved under the summation form.
__kernel void partials(__global const float *x, __global float *part, int n) {
  int g = get_global_id(0), row = g / 3, k = g % 3;
  float acc = 0.0f;
  for (int j = k; j < n; j += 3)
    acc += x[row * n + j];
  part[g] = acc;
}
__kernel void combine(__global const float *part, __global float *y) {
  int row = get_global_id(0);
  y[row] = part[3 * row] + (part[3 * row + 1] + part[3 * row + 2]);
}
