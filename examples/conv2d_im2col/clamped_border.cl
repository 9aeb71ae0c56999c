// WRONG: conv2d as im2col + matmul (two launches through a temporary).
// Launch 1 unrolls every 3x3 patch into a column of `cols`
// ([C*9] x [H*W]).
// Launch 2 multiplies the weights ([O] x [C*9]) by `cols` and adds the bias.
__kernel void im2col(__global const float *x, __global float *cols, int C,
                     int H, int W) {
  int p = get_global_id(0);  // output pixel oy * W + ox
  int k = get_global_id(1);  // row of cols: (ci * 3 + ky) * 3 + kx
  int ox = p % W, oy = p / W;
  int kx = k % 3, ky = (k / 3) % 3, ci = k / 9;
  int iy = oy + ky - 1, ix = ox + kx - 1;
  float v = 0.0f;
  // BUG (clamped border): padding reads the nearest edge pixel instead of 0.
  iy = clamp(iy, 0, H - 1);
  ix = clamp(ix, 0, W - 1);
  v = x[(ci * H + iy) * W + ix];
  cols[k * (H * W) + p] = v;
}

__kernel void gemm_bias(__global const float *w, __global const float *cols,
                        __global const float *b, __global float *y, int K,
                        int P) {
  int p = get_global_id(0), o = get_global_id(1);
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += w[o * K + k] * cols[k * P + p];
  y[o * P + p] = acc + b[o];
}
