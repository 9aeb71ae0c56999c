// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/triu_diag1.json
// MANIFEST: {"launches":[{"kernel":"triu","args":["x","y","R","C"],"global":["C","B*R"]}]}
// BUG: masks by multiplying with 0 or 1: a masked-out NaN or infinity gives NaN, a masked-out negative gives -0 (torch.triu stores +0)
__kernel void triu(__global const float *x, __global float *y, int R, int C) {
  int j = get_global_id(0), r = get_global_id(1);
  int i = r % R;
  y[r * C + j] = x[r * C + j] * (j - i >= 1 ? 1.0f : 0.0f);
}
