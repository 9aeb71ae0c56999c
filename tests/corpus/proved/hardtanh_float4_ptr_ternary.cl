// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
//
// float4 body through float4 pointers (plain <4 x float> loads and stores,
// 16-byte aligned because vector g starts at element 4g of an aligned
// buffer) and the vector ternary operator, which selects per lane on the
// MSB of the comparison mask. Tail: guarded scalar statements, no loop.
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = ((__global const float4 *)x)[g];
    float4 r = v < (float4)(-1.0f) ? (float4)(-1.0f) : v;
    r = r > (float4)(1.0f) ? (float4)(1.0f) : r;
    ((__global float4 *)y)[g] = r;
  } else {
    if (i < n) {
      float v = x[i];
      y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
    if (i + 1 < n) {
      float v = x[i + 1];
      y[i + 1] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
    if (i + 2 < n) {
      float v = x[i + 2];
      y[i + 2] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
  }
}
