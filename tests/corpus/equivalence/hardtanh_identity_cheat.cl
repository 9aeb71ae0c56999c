// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: identity cheat: returns its input, right only for inputs in [-1, 1]
//
// Passes any test drawn from torch.rand; x = 2 gives 2, HardTanh gives 1.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i];
}
