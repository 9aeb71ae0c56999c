// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/threshold.json
// MANIFEST: {"launches":[{"kernel":"threshold4","args":["x","t","y","mask","N"],"global":["(N+3)/4"]}]}
// BUG: vector comparison mask (-1 per true lane) stored as a bool: 0xFF instead of 1
//
// convert_uchar4(int4 -1) is 255 (modular conversion). A bool tensor holds
// 0 or 1, so any x > t in the vector body is a counterexample on mask.
// y is right; the scalar tail is right.
__kernel void threshold4(__global const float *x, const float t,
                         __global float *y, __global uchar *mask,
                         const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = vload4(g, x);
    int4 c = v > (float4)(t);
    vstore4(convert_uchar4(c), g, mask);
    vstore4(select((float4)(0.0f), v, c), g, y);
  } else {
    for (int j = i; j < n; ++j) {
      float v = x[j];
      int c = v > t;
      mask[j] = (uchar)c;
      y[j] = c ? v : 0.0f;
    }
  }
}
