// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/avg_pool2d_4m.json
// MANIFEST: {"launches":[{"kernel":"pool","args":["x","y","H","W"],"global":["W/2","H/2"]}]}
// BUG: output rows past 2000 leave out their window's bottom-right tap
//
// Right wherever the output has at most 2001 rows, so enumeration at small
// shapes passes it; the arbitrary work-item at 2049 output rows finds a row
// oy > 2000 whose average misses x[2*oy+1, 2*ox+1].
__kernel void pool(__global const float *x, __global float *y, int H, int W) {
  int ox = get_global_id(0), oy = get_global_id(1);
  int OW = W / 2;
  __global const float *p = x + oy * 2 * W + ox * 2;
  float top = p[0] + p[1], bottom = p[W];
  if (oy <= 2000)
    bottom += p[W + 1];
  y[oy * OW + ox] = (top + bottom) * 0.25f;
}
