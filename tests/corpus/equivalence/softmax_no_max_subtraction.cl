// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/softmax_wide.json
// MANIFEST: {"launches":[{"kernel":"softmax","args":["x","y","N"],"global":["M"]}]}
// BUG: no max subtraction: exp(x) overflows float32 for x > 88.7, so a row holding 100 gives inf / inf = NaN (or x / inf = 0)
//
// exp and the default '/' are approximate in OpenCL C (3 and 2.5 ulp), so
// the solver alone can only say "depends on an approximation". At x = 100
// every exp the device may compute within 3 ulp is +inf (e^100 = 2.7e43 is
// far beyond FLT_MAX), the row sum is +inf, and the element is NaN
// whatever the approximations return; the reference is finite.
__kernel void softmax(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += exp(r[j]);
  for (int j = 0; j < n; ++j)
    y[row * n + j] = exp(r[j]) / s;
}
