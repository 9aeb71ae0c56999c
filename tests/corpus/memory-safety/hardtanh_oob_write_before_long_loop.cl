// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: writes y[i + n] (past the end) when x[i] > 0.5, then spins in a loop longer than the unroll bound
// LOCATION: 17:14
//
// The out-of-bounds write is certain once the path reaches it: refuted
// although the path that skips it never reaches the end of its loop
// within the unroll bound (it used to end unknown (bound); issue 17).
__kernel void hardtanh(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  float v = x[i];
  if (v > 0.5f)
    y[i + n] = v;
  float acc = 0.0f;
  for (int k = 0; k < 4000000; ++k)
    acc = acc * 0.5f + v;
  y[i] = fmin(fmax(v, -1.0f), 1.0f) + (acc > 1e30f ? 1.0f : 0.0f);
}
