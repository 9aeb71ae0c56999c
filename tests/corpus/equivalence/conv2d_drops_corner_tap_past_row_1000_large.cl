// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/conv2d_4m.json
// MANIFEST: {"launches":[{"kernel":"conv","args":["x","w","b","y","C","H","W"],"global":["W-2","H-2","O"]}]}
// BUG: output rows past 1000 leave out the last channel's bottom-right tap
//
// Right at every input of fewer than 1003 rows, so enumeration at small
// shapes passes it; the arbitrary work-item at 1025 output rows finds a row
// oy > 1000 where the product x[C-1, oy+2, ox+2] * w[o, C-1, 2, 2] is
// missing.
__kernel void conv(__global const float *x, __global const float *w,
                   __global const float *b, __global float *y, int C, int H,
                   int W) {
  int ox = get_global_id(0), oy = get_global_id(1), o = get_global_id(2);
  int OH = H - 2, OW = W - 2;
  float acc = 0.0f;
  for (int c = 0; c < C; ++c)
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx) {
        if (oy > 1000 && c == C - 1 && ky == 2 && kx == 2)
          continue;
        acc += x[(c * H + oy + ky) * W + ox + kx] *
               w[((o * C + c) * 3 + ky) * 3 + kx];
      }
  y[(o * OH + oy) * OW + ox] = acc + b[o];
}
