// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: wrong table entry: the upper bound in the __constant uint table is 2, so v in (1, 2] passes unclamped
//
// hardtanh with its bounds in a __constant uint table (stored as bound + 1), read at a
// data-dependent index (the sign of v picks the bound): the table becomes a
// read-only region of its scalar elements. (A __constant float table used
// to crash ksynth with SIGSEGV.)
__constant uint lim[2] = {0, 3};

__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    int k = v > 0.0f;
    float b = (float)lim[k] - 1.0f;
    y[i] = k ? (v > b ? b : v) : (v < b ? b : v);
  }
}
