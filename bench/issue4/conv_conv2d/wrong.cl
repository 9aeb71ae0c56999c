// conv2d (cross-correlation), no padding; one work-item per output. BUG: flipped kernel (a true convolution, not PyTorch's
// cross-correlation).
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int C, int H, int W, int OH, int OW) {
  int ox = get_global_id(0), oy = get_global_id(1), co = get_global_id(2);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx)
        acc += x[(ci * H + oy + ky) * W + ox + kx] * w[((co * C + ci) * 3 + (2 - ky)) * 3 + (2 - kx)];
  y[(co * OH + oy) * OW + ox] = acc;
}
