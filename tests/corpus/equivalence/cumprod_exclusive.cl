// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/cumprod_rows.json
// MANIFEST: {"launches":[{"kernel":"cumprod","args":["x","y","N"],"global":["M"]}]}
// BUG: exclusive scan: stores the running product before multiplying the element in (y_0 = 1), off by one position
__kernel void cumprod(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  float acc = 1.0f;
  for (int j = 0; j < n; ++j) {
    y[row * n + j] = acc;
    acc *= x[row * n + j];
  }
}
