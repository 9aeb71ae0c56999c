// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// SHAPE: {"N": 67}
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: special-cases the tested shape: correct only when n == 64, identity otherwise
//
// Right at N = 64 (the shape a benchmark might test), wrong at N = 67,
// which the spec also lists: the counterexample must be at N = 67.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    if (n == 64)
      y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    else
      y[i] = v;
  }
}
