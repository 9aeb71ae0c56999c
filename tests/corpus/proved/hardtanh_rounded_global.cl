// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["((N+63)/64)*64"],"local":["64"]}]}
//
// The usual launch: global size rounded up to a multiple of the 64-wide
// work-group (N = 67: 128 work-items); the guard i < n keeps the 61 extra
// work-items away from the buffers.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
