// EXPECT: proved
// SPEC: ../specs/hardtanh_2d_large.json
// MANIFEST: {"launches":[{"kernel":"hardtanh2d","args":["x","y","M","K"],"global":["K","M"]}]}
//
// proved/hardtanh_2d.cl at [M, K] = [2053, 4099] (8.4 million work-items):
// one arbitrary work-item (c, r); coverage inverts the address r*K + c in
// mixed radix (r = i / K, c = i % K).
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
