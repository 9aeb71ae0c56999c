// conv2d 3x3, padding 1, as im2col + matmul through the temporary `cols`. 
__kernel void im2col(__global const float *x, __global float *cols, int C,
                     int H, int W) {
  int p = get_global_id(0), k = get_global_id(1);
  int ox = p % W, oy = p / W, kx = k % 3, ky = (k / 3) % 3, ci = k / 9;
  int iy = oy + ky - 1, ix = ox + kx - 1;
  float v = 0.0f;
  if (iy >= 0 && iy < H && ix >= 0 && ix < W)
    v = x[(ci * H + iy) * W + ix];
  cols[k * (H * W) + p] = v;
}
__kernel void gemm(__global const float *w, __global const float *cols,
                   __global float *y, int K, int P) {
  int p = get_global_id(0), o = get_global_id(1);
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += w[o * K + k] * cols[k * P + p];
  y[o * P + p] = acc;
}
