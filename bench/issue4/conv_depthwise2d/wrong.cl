// Depthwise conv2d 3x3, padding 1 (groups = C). BUG: groups ignored in the weight index: every channel uses
// channel 0's filter.
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int H, int W) {
  int ox = get_global_id(0), oy = get_global_id(1), c = get_global_id(2);
  float acc = 0.0f;
  for (int ky = 0; ky < 3; ++ky)
    for (int kx = 0; kx < 3; ++kx) {
      int iy = oy + ky - 1, ix = ox + kx - 1;
      float xv = (iy >= 0 && iy < H && ix >= 0 && ix < W) ? x[(c * H + iy) * W + ix] : 0.0f;
      acc += xv * w[0 + ky * 3 + kx];
    }
  y[(c * H + oy) * W + ox] = acc;
}
