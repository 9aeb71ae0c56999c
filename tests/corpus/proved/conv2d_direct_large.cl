// EXPECT: proved
// SPEC: ../specs/conv2d_4m.json
// MANIFEST: {"launches":[{"kernel":"conv","args":["x","w","b","y","C","H","W"],"global":["W-2","H-2","O"]}]}
//
// Direct 3x3 convolution (no padding) with bias at 4 x 1025 x 1024 outputs,
// one work-item per output element (ox, oy, o): one arbitrary work-item.
// The reference element at the store's flat index folds the 18 products
// x * w over the input channels, kernel rows and columns from +0 and adds
// the bias; the kernel contracts them to fused multiply-adds in the same
// order: proved at level rounding.
__kernel void conv(__global const float *x, __global const float *w,
                   __global const float *b, __global float *y, int C, int H,
                   int W) {
  int ox = get_global_id(0), oy = get_global_id(1), o = get_global_id(2);
  int OH = H - 2, OW = W - 2;
  float acc = 0.0f;
  for (int c = 0; c < C; ++c)
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx)
        acc += x[(c * H + oy + ky) * W + ox + kx] *
               w[((o * C + c) * 3 + ky) * 3 + kx];
  y[(o * OH + oy) * OW + ox] = acc + b[o];
}
