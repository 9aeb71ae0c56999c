// EXPECT: proved
// SPEC: ../specs/avg_pool2d_4m.json
// MANIFEST: {"launches":[{"kernel":"pool","args":["x","y","H","W"],"global":["W/2","H/2"]}]}
//
// 2x2 average pooling, stride 2, at 2049 x 2049 outputs (the input's last
// column is dropped: W = 4099): one arbitrary work-item. The reference
// element at the store's flat index folds its four taps from +0 row-major
// and divides by 4; the kernel adds the rows' pairs first and multiplies
// by 0.25: another order, the same real function, proved at level
// rounding.
__kernel void pool(__global const float *x, __global float *y, int H, int W) {
  int ox = get_global_id(0), oy = get_global_id(1);
  int OW = W / 2;
  __global const float *p = x + oy * 2 * W + ox * 2;
  float top = p[0] + p[1], bottom = p[W] + p[W + 1];
  y[oy * OW + ox] = (top + bottom) * 0.25f;
}
