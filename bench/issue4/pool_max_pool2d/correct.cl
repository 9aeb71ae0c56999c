// max_pool2d 2x2 stride 2, taps row-major. 
__kernel void k(__global const float *x, __global float *y, int H, int W, int OH, int OW) {
  int ox = get_global_id(0), oy = get_global_id(1), c = get_global_id(2);
  __global const float *p = x + (c * H + oy * 2) * W + ox * 2;
  float m = p[0];
  float v;
  v = p[1]; m = (v > m || isnan(v)) ? v : m;
  v = p[W]; m = (v > m || isnan(v)) ? v : m;
  v = p[W + 1]; m = (v > m || isnan(v)) ? v : m;
  y[(c * OH + oy) * OW + ox] = m;
}
