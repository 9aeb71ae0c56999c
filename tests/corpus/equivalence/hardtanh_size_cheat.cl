// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh_deploy.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// SHAPE: {"N": 16777216}
// BUG: size cheat: correct up to 100000 elements, zeros above
//
// Proved at N = 64 (proved/hardtanh_size_cheat_at_64.cl); the deployment
// shape N = 16777216 is verified by one arbitrary symbolic work-item and
// refuted with a concrete, sparse counterexample (x[i] = 2: expected 1, got 0).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    if (n > 100000)
      y[i] = 0.0f;
    else
      y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
