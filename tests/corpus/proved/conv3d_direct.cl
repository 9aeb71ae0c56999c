// EXPECT: proved
// SPEC: ../specs/conv3d_small.json
// MANIFEST: {"launches":[{"kernel":"conv3d","args":["x","w","b","y","C","D","H","W"],"global":["W+1","(D-1)*(H-1)","O"]}]}
//
// Direct 2x2x2 convolution, padding 1 along the width only (a padding tap
// is skipped: the weights are finite, so 0 * w adds +-0), one work-item per
// output element; the fold runs over the input channels, then kernel
// depth, rows and columns, as the reference.
__kernel void conv3d(__global const float *x, __global const float *w,
                     __global const float *b, __global float *y, int C, int D,
                     int H, int W) {
  int ox = get_global_id(0), zy = get_global_id(1), o = get_global_id(2);
  int OD = D - 1, OH = H - 1, OW = W + 1;
  int oz = zy / OH, oy = zy % OH;
  float acc = 0.0f;
  for (int c = 0; c < C; ++c)
    for (int kz = 0; kz < 2; ++kz)
      for (int ky = 0; ky < 2; ++ky)
        for (int kx = 0; kx < 2; ++kx) {
          int ix = ox - 1 + kx;
          float wv = w[(((o * C + c) * 2 + kz) * 2 + ky) * 2 + kx];
          float xv = (ix >= 0 && ix < W)
                         ? x[((c * D + oz + kz) * H + oy + ky) * W + ix]
                         : 0.0f;
          acc += xv * wv;
        }
  y[((o * OD + oz) * OH + oy) * OW + ox] = acc + b[o];
}
