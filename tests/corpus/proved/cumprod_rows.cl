// EXPECT: proved
// SPEC: ../specs/cumprod_rows.json
// MANIFEST: {"launches":[{"kernel":"cumprod","args":["x","y","N"],"global":["M"]}]}
//
// One work-item per row: the running product from the first element.
__kernel void cumprod(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  float acc = 1.0f;
  for (int j = 0; j < n; ++j) {
    acc *= x[row * n + j];
    y[row * n + j] = acc;
  }
}
