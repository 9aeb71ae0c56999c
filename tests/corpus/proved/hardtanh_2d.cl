// EXPECT: proved
// SPEC: ../specs/hardtanh_2d.json
// MANIFEST: {"launches":[{"kernel":"hardtanh2d","args":["x","y","M","K"],"global":["K","M"]}]}
//
// 2-D NDRange over a row-major [M, K] tensor: dimension 0 walks columns,
// dimension 1 rows. The global size matches the shape exactly, so the guard
// is never false, but it costs nothing and keeps the kernel safe.
__kernel void hardtanh2d(__global const float *x, __global float *y,
                         const int m, const int k) {
  int c = get_global_id(0);
  int r = get_global_id(1);
  if (r < m && c < k) {
    int i = r * k + c;
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
