// EXPECT: proved
// SPEC: ../specs/hardtanh_64.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// The size cheat of equivalence/hardtanh_size_cheat.cl, verified at the only
// shape its spec lists, N = 64: proved, and the verdict says so ("shapes:
// N=64, the proof covers exactly these shapes"). Listing the deployment
// shape (specs/hardtanh_deploy.json) refutes it.
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
