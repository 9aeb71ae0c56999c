// avg_pool2d 3x3 stride 1 padding 1, count_include_pad: divide by 9. 
__kernel void k(__global const float *x, __global float *y, int H, int W) {
  int ox = get_global_id(0), oy = get_global_id(1), c = get_global_id(2);
  float acc = 0.0f;
  int cnt = 0;
  for (int ky = 0; ky < 3; ++ky)
    for (int kx = 0; kx < 3; ++kx) {
      int iy = oy + ky - 1, ix = ox + kx - 1;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
        acc += x[(c * H + iy) * W + ix];
        cnt++;
      }
    }
  y[(c * H + oy) * W + ox] = acc / 9.0f;
}
