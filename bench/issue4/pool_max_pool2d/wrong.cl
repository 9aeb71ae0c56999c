// max_pool2d 2x2 stride 2, taps row-major. BUG: fmax drops NaN and breaks the first-max tie rule.
__kernel void k(__global const float *x, __global float *y, int H, int W, int OH, int OW) {
  int ox = get_global_id(0), oy = get_global_id(1), c = get_global_id(2);
  __global const float *p = x + (c * H + oy * 2) * W + ox * 2;
  float m = p[0];
  float v;
  m = fmax(m, p[1]);
  m = fmax(m, p[W]);
  m = fmax(m, p[W + 1]);
  y[(c * OH + oy) * OW + ox] = m;
}
