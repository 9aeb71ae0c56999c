// EXPECT: proved
// SPEC: ../specs/max_pool3d_small.json
// MANIFEST: {"launches":[{"kernel":"max_pool3d","args":["x","y","W"],"global":["W/2","C"]}]}
//
// PyTorch's update rule from the first tap over the later ones, in the
// window's order (depth, row, column): `if (v > m || isnan(v)) m = v`, written as a select (a
// branch per tap would multiply the paths).
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
