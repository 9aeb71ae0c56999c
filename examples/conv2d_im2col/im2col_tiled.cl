// conv2d as im2col + matmul (two launches through a temporary).
// Launch 1 unrolls every 3x3 patch into a column of `cols`
// ([C*9] x [H*W]); padding positions become explicit zeros.
// Launch 2 multiplies the weights ([O] x [C*9]) by `cols` in 4x4 tiles
// staged through __local memory (zero padding at the ragged edges), then adds
// the bias.
__kernel void im2col(__global const float *x, __global float *cols, int C,
                     int H, int W) {
  int p = get_global_id(0);  // output pixel oy * W + ox
  int k = get_global_id(1);  // row of cols: (ci * 3 + ky) * 3 + kx
  int ox = p % W, oy = p / W;
  int kx = k % 3, ky = (k / 3) % 3, ci = k / 9;
  int iy = oy + ky - 1, ix = ox + kx - 1;
  float v = 0.0f;
  if (iy >= 0 && iy < H && ix >= 0 && ix < W)
    v = x[(ci * H + iy) * W + ix];
  cols[k * (H * W) + p] = v;
}

#define T 4
__kernel void gemm_tiled_bias(__global const float *w,
                              __global const float *cols,
                              __global const float *b, __global float *y,
                              int O, int K, int P) {
  __local float Ws[T][T], Cs[T][T];
  int tx = get_local_id(0), ty = get_local_id(1);
  int p = get_global_id(0), o = get_global_id(1);
  float acc = 0.0f;
  for (int k0 = 0; k0 < K; k0 += T) {
    Ws[ty][tx] = (o < O && k0 + tx < K) ? w[o * K + k0 + tx] : 0.0f;
    Cs[ty][tx] = (k0 + ty < K && p < P) ? cols[(k0 + ty) * P + p] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < T; ++k)
      acc += Ws[ty][k] * Cs[k][tx];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (o < O && p < P)
    y[o * P + p] = acc + b[o];
}
