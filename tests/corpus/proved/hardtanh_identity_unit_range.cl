// EXPECT: proved
// SPEC: ../specs/hardtanh_unit_range.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// The identity cheat under a spec whose domain is [-1, 1]: there HardTanh
// is the identity, so the proof is right. The same kernel is refuted under
// ../specs/hardtanh.json (equivalence/hardtanh_identity_cheat.cl): the
// verdict follows the spec's domain.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i];
}
