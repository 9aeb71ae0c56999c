// EXPECT: unknown
// UNKNOWN_KIND: too-large
// SPEC: ../specs/max_pool3d_4m.json
// MANIFEST: {"launches":[{"kernel":"max_pool3d","args":["x","y","W"],"global":["W/2","C"]}]}
// REASON: not covered by the symbolic reference
//
// proved/max_pool3d_nan_aware.cl at 16 Mi input elements: max_pool3d is
// verified by enumeration only (the symbolic reference does not cover it at
// a symbolic index), and this shape is too large to enumerate, so the
// answer is unknown, never a proof.
__kernel void max_pool3d(__global const float *x, __global float *y, int W) {
  int ox = get_global_id(0), c = get_global_id(1);
  __global const float *p = x + c * 4 * W;
  float m = p[2 * ox];
  for (int kz = 0; kz < 2; ++kz)
    for (int ky = 0; ky < 2; ++ky)
      for (int kx = 0; kx < 2; ++kx) {
        float v = p[(kz * 2 + ky) * W + 2 * ox + kx];
        if (v > m || isnan(v))
          m = v;
      }
  y[c * (W / 2) + ox] = m;
}
