// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/max_pool3d_small.json
// MANIFEST: {"launches":[{"kernel":"max_pool3d","args":["x","y","W"],"global":["W/2","C"]}]}
// BUG: fmax ignores a NaN tap (fmax(NaN, 1) is 1) where PyTorch's max pooling propagates it
__kernel void max_pool3d(__global const float *x, __global float *y, int W) {
  int ox = get_global_id(0), c = get_global_id(1);
  __global const float *p = x + c * 2 * W;
  float m = p[2 * ox];
  for (int kz = 0; kz < 2; ++kz)
    for (int kx = 0; kx < 2; ++kx)
      m = fmax(m, p[kz * W + 2 * ox + kx]);
  y[c * (W / 2) + ox] = m;
}
