// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// BUG: NaN-mishandling clamp in the float4 body (the fastest kernel measured), tail correct
//
// The float4 clamp() kernel from the design notes' timing: NaN in any
// vector lane becomes -1. The scalar tail is right, so for N = 64 the
// counterexample must use the vector body.
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    vstore4(clamp(vload4(g, x), -1.0f, 1.0f), g, y);
  } else {
    for (int j = i; j < n; ++j) {
      float v = x[j];
      y[j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }
  }
}
