// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/triu_diag1.json
// MANIFEST: {"launches":[{"kernel":"triu","args":["x","y","R","C"],"global":["C","B*R"]}]}
// SHAPE: {"B": 1, "R": 2049, "C": 2051}
// BUG: keeps the diagonal from row 2000 on (j - i >= 0 there): right at the small shape, wrong only at the deployment shape, where one arbitrary work-item decides it
__kernel void triu(__global const float *x, __global float *y, int R, int C) {
  int j = get_global_id(0), r = get_global_id(1);
  int i = r % R;
  float v = x[r * C + j];
  y[r * C + j] = j - i >= (i >= 2000 ? 0 : 1) ? v : 0.0f;
}
