// EXPECT: proved
// SPEC: ../specs/sigmoid_16m.json
// MANIFEST: {"launches":[{"kernel":"sigmoid4","args":["x","y","N"],"global":["(N+3)/4"]}]}
//
// float4 sigmoid (vload4/vstore4, exp and division lane by lane) with a
// scalar tail loop, at N = 2^24 (no tail) and 2^24 + 3 (a 3-element tail):
// every lane's store is proved at level "rounding"; each lane's read
// x[4g + k] and the reference's x[e] at the store's index e = 4g + k are
// one variable (same index term).
__kernel void sigmoid4(__global const float *x, __global float *y,
                       const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = vload4(g, x);
    vstore4(1.0f / (1.0f + exp(-v)), g, y);
  } else {
    for (int j = i; j < n; ++j)
      y[j] = 1.0f / (1.0f + exp(-x[j]));
  }
}
