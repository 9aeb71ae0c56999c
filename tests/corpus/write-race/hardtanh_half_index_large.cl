// EXPECT: refuted
// OBLIGATION: write-race
// SPEC: ../specs/hardtanh_1m.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// SHAPE: {"N": 1048576}
// BUG: stores to y[i/2]: work-items 2k and 2k+1 both write y[k]
//
// N = 2^20 work-items are not enumerated: two arbitrary distinct work-items
// g1 != g2 whose stores hit one element refute it (the GPUVerify argument).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i / 2] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
