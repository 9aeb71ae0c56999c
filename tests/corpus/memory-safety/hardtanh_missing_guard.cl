// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh.json
// SHAPE: {"N": 67}
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["((N+63)/64)*64"],"local":["64"]}]}
// BUG: no bounds guard with a global size rounded up to the work-group size
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
}
