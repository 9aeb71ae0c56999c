// Pointwise (1x1) conv2d: a channel mix per pixel. BUG: channel stride W (a row) instead of H*W (a plane).
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int C, int HW) {
  int pix = get_global_id(0), co = get_global_id(1);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    acc += x[ci * 6 + pix] * w[co * C + ci];
  y[co * HW + pix] = acc;
}
