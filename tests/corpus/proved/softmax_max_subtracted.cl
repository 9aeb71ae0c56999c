// EXPECT: proved
// SPEC: ../specs/softmax_wide.json
// MANIFEST: {"launches":[{"kernel":"softmax","args":["x","y","N"],"global":["M"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
//
// The twin of equivalence/softmax_no_max_subtraction.cl: subtracting the
// row's maximum keeps every exp argument <= 0, so nothing overflows; the
// concrete hunt at x = 100 must not refute it.
__kernel void softmax(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float m = r[0];
  for (int j = 1; j < n; ++j)
    m = fmax(m, r[j]);
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += exp(r[j] - m);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = exp(r[j] - m) / s;
}
