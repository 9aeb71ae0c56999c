// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: mul24 operand 1 << 24 does not fit in 24 bits: the bound is implementation-defined (GPUs keep the low 24 bits: 0), not 1
//
// The counterexample depends on that implementation choice and says so.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float b = (float)(mul24(1 << 24, 1) >> 24);
    float v = x[i];
    y[i] = v < -b ? -b : (v > b ? b : v);
  }
}
