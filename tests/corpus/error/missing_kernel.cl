// EXPECT: error
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh_vec4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// BUG: the manifest names a kernel (hardtanh_vec4) that the source does not define
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
