// EXPECT: proved
// SPEC: ../specs/hardtanh_1m.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["65536"]}]}
//
// Grid-stride loop at N = 2^20 with 65536 work-items: 16 iterations per
// work-item, verified by one arbitrary iteration k (docs/loop-summaries.md,
// "Loops that store"); unrolled, the cost grew quadratically with the
// iterations (128 took about 45 s).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
