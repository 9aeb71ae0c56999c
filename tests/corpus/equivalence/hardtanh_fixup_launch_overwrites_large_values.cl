// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]},{"kernel":"fixup","args":["x","y","N"],"global":["N"]}]}
// BUG: a second launch overwrites y[i] with 2 where x[i] > 2 (hardtanh gives 1)
// LOCATION: 21:10
//
// Every element is written by the first launch's store (line 16), and some
// again by the second launch's (line 21) where the data says so: the
// counterexample's element has x > 2, so its final value is the second
// store's, and the location names that line (docs/verdict-format.md,
// "Source locations").
__kernel void hardtanh(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = fmin(fmax(x[i], -1.0f), 1.0f);
}
__kernel void fixup(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i < n && x[i] > 2.0f)
    y[i] = 2.0f;
}
