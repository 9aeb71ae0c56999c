// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
// SHAPE: {"M": 8192, "N": 131072}
// BUG: size cheat: rows longer than 100000 skip their last element, right at every small shape
//
// Refuted through the loop summary: the candidate's fold has one update
// fewer than the reference's, so they are not equal by induction, and the
// store evaluated iteration by iteration with only x[r, n-1] = 1 gives 0
// against the interpreter's 1.
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  int end = n > 100000 ? n - 1 : n;
  float acc = 0.0f;
  for (int j = 0; j < end; ++j)
    acc += x[r * n + j];
  y[r] = acc;
}
