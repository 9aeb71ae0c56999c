// EXPECT: proved
// SPEC: ../specs/layer_norm_4m.json
// MANIFEST: {"launches":[{"kernel":"layer_norm","args":["x","y","M","N"],"global":["M"]}],"fp_contract":false,"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
//
// layer_norm over rows of 8 at 2^19 + 1 rows (4194312 outputs), one
// work-item per row: one arbitrary work-item. The reference element at the
// store's flat index row * 8 + j reads its row (the row from the index by
// div, guessed from its affine form), folds the mean and the biased
// variance from +0 in the semantics table's order and scales the
// element's deviation by 1 / sqrt(var + eps). The kernel computes the
// same two passes with correctly rounded division and square root and no
// contraction: the same term once reads of one element are one leaf.
__kernel void layer_norm(__global const float *x, __global float *y,
                         const int m, const int n) {
  size_t row = get_global_id(0);
  if (row >= (size_t)m)
    return;
  __global const float *r = x + row * n;
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += r[j];
  float mean = s / (float)n;
  float v = 0.0f;
  for (int j = 0; j < n; ++j) {
    float d = r[j] - mean;
    v += d * d;
  }
  float rstd = 1.0f / sqrt(v / (float)n + 0.01f);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = (r[j] - mean) * rstd;
}
