// EXPECT: refuted
// OBLIGATION: coverage
// SPEC: ../specs/hardtanh.json
// SHAPE: {"N": 67}
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["N/4"]}]}
// BUG: float4 kernel without a tail: global size N/4 leaves the last n % 4 elements unwritten
//
// Correct at N = 64; at N = 67, y[64..66] are never written.
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  float4 v = vload4(g, x);
  float4 r = select(v, (float4)(-1.0f), v < (float4)(-1.0f));
  r = select(r, (float4)(1.0f), r > (float4)(1.0f));
  vstore4(r, g, y);
}
