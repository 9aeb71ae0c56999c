// EXPECT: proved
// SPEC: ../specs/tril_strict.json
// MANIFEST: {"launches":[{"kernel":"tril","args":["x","y","R","C"],"global":["C","B*R"]}]}
// LEVEL: structural
//
// One work-item per element: keep x[i][j] where j < i (j - i <= -1), else
// +0.
__kernel void tril(__global const float *x, __global float *y, int R, int C) {
  int j = get_global_id(0), r = get_global_id(1);
  int i = r % R;
  y[r * C + j] = j < i ? x[r * C + j] : 0.0f;
}
