// EXPECT: proved
// SPEC: ../specs/softmax_rows_256k.json
// MANIFEST: {"launches":[{"kernel":"softmax","args":["x","y","M","N"],"global":["M"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
//
// Row softmax at M = 2^18 (and 2^18 + 1) rows of 8, one work-item per row:
// one arbitrary symbolic work-item. The reference element at the store's
// flat index r*8 + j takes the row's coordinates by div/mod, folds max and
// the exp sum over the concrete row (the semantics table's order) and
// divides the element's own exp; proved within the tolerance at level
// rounding (OpenCL's exp is 3 ulp).
__kernel void softmax(__global const float *x, __global float *y,
                      const int m, const int n) {
  size_t row = get_global_id(0);
  if (row >= (size_t)m)
    return;
  __global const float *r = x + row * n;
  float mx = r[0];
  for (int j = 1; j < n; ++j)
    mx = fmax(mx, r[j]);
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += exp(r[j] - mx);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = exp(r[j] - mx) / s;
}
