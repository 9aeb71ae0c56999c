// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/logsumexp_rows.json
// MANIFEST: {"launches":[{"kernel":"logsumexp","args":["x","y","N"],"global":["M"]}]}
// BUG: no max shift: exp(x) overflows float32 for x > 88.7, so a row holding 100 gives log(inf) = inf instead of about 100
__kernel void logsumexp(__global const float *x, __global float *y, int n) {
  int row = get_global_id(0);
  __global const float *r = x + row * n;
  float s = 0.0f;
  for (int j = 0; j < n; ++j)
    s += exp(r[j]);
  y[row] = log(s);
}
