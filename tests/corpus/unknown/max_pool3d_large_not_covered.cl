// EXPECT: unknown
// UNKNOWN_KIND: too-large
// SPEC: ../specs/max_pool3d_4m.json
// MANIFEST: {"launches":[{"kernel":"max_pool3d","args":["x","y","W"],"global":["W/2","C"]}]}
// REASON: not covered by the symbolic reference
//
// proved/max_pool3d_nan_aware.cl at 2^22 + 2 work-items: max_pool3d is
// verified by enumeration only (the symbolic reference does not cover it at
// a symbolic index), and this shape is too large to enumerate, so the
// answer is unknown, never a proof.
__kernel void max_pool3d(__global const float *x, __global float *y, int W) {
  int ox = get_global_id(0), c = get_global_id(1);
  __global const float *p = x + c * 2 * W;
  float m = p[2 * ox];
  for (int t = 1; t < 4; ++t) {
    float v = p[(t >> 1) * W + 2 * ox + (t & 1)];
    m = (v > m || isnan(v)) ? v : m;
  }
  y[c * (W / 2) + ox] = m;
}
